"""Forms as data: versioned declarative form definitions, value parsing and logic checks."""
