"""The cited-statistics table: read once, checked cell by cell, as records or DataFrames."""
