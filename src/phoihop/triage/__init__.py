"""The Vietnamese text engine: plain Python over text, no Django."""
