//! PDF-extracted plain text → content files (not yet implemented).
