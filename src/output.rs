//! Writing the output folder (under construction).
