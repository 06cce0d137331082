"""`python -m svcperf` runs the command-line tool."""

from svcperf.cli import main

main()
