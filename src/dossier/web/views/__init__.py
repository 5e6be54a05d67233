"""Page views, one module per page family. Each is a thin edge over a named selector."""
