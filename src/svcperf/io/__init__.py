"""Everything that touches files: reading workbooks, finding error cells, writing results."""
