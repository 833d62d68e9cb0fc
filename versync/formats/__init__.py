"""One module per file format; each turns a file's text into records of `versync.core`."""
