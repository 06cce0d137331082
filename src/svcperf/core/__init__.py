"""Pure pipeline steps over DataFrames: check, score, grade, distribute, rank."""
