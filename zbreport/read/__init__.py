"""Readers into the model: the project folder (YAML with marks, Markdown), templates."""
