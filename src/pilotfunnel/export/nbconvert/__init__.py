"""nbconvert's parts: exporters, preprocessors, the sanitiser, the fetcher, TeX, PDF, templates."""
