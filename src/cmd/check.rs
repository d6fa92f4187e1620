//! `duben check`: load + resolve, report every diagnostic, write nothing.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`duben check` is not implemented yet")
}
