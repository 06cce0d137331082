"""`python -m svcperf` runs the command-line tool."""

from svcperf.cli.app import main

main()
