"""Export briefs through nbconvert: execute the brief notebook, then HTML and PDF exporters."""
