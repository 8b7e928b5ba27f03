"""The only place paved makes text: markdown summaries, console text, JSON, annotations."""
