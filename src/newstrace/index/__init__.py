"""Index stage: compact, stable sketches of documents for finding reuse candidates without
comparing all pairs (word shingles, MinHash + LSH, sampled fingerprints)."""
