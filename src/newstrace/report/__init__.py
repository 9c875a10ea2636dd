"""Report stage: people-facing views of results (terminal, self-contained HTML)."""
