"""Text extractors, one module per format; each takes a Leaf and a ParseContext."""
