"""Unit tests of the forms engine (definitions, values, expressions, checks). No database."""
