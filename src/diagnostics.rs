//! Diagnostics (under construction).
