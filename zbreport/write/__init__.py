"""Writers and views of the Report model: each reads the model, none reads project files."""
