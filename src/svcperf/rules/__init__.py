"""Rule sets: pydantic models, YAML loading with line numbers, and safe formulas."""
