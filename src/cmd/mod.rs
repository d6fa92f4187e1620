//! One thin file per command: parse its arguments, call the pipeline stages,
//! map the outcome to an exit code. No content logic lives here.

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod serve;
