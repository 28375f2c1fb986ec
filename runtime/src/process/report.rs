//! Error reports for processes that die of an uncaught exception, written to
//! standard error (standard output stays the program's own).
//!
//! The text follows BEAM's `Error in process <0.N.0> with exit value:` report.
//! Terms are printed by the runtime's term printer when one is installed
//! (`sched::set_term_printer`), else as `erlang:display/1` writes them (what
//! BEAM's own reports use).

use crate::heap::ProcessMemory;
use crate::term::Term;

/// A function that prints a term of a process heap.
pub type TermPrinter = fn(Term, &ProcessMemory) -> String;

/// BEAM's report for a process that died of an uncaught `error` or `throw`.
pub fn crash_report(pid: Term, reason: String) -> String {
    let who = match pid.local_pid_number() {
        Some(n) => {
            let (num, ser) = super::table::pid_parts(n);
            format!("<0.{num}.{ser}>")
        }
        None => "<?>".to_string(),
    };
    format!("=ERROR REPORT====\nError in process {who} with exit value:\n{reason}\n\n")
}

/// BEAM's report for a process whose heap passed its `max_heap_size`
/// (the layout of OTP 25's, without the timestamp). `gc_info` lists the
/// collector figures Coral has, in words.
pub fn max_heap_report(
    pid: Term,
    max: &super::MaxHeapSize,
    total: usize,
    queue_len: usize,
    gc_info: &[(&str, usize)],
) -> String {
    let who = match pid.local_pid_number() {
        Some(n) => {
            let (num, ser) = super::table::pid_parts(n);
            format!("<0.{num}.{ser}>")
        }
        None => "<?>".to_string(),
    };
    let items: Vec<String> = gc_info
        .iter()
        .map(|(k, v)| format!("{{{k},{v}}}"))
        .collect();
    let info = items.join(&format!(",\n{}", " ".repeat(26)));
    format!(
        "=ERROR REPORT====\n     Process:            {who} \n     Context:            maximum heap size reached\n     Max Heap Size:      {}\n     Total Heap Size:    {total}\n     Kill:               {}\n     Error Logger:       {}\n     Message Queue Len:  {queue_len}\n     GC Info:            [{info}]\n\n",
        max.size, max.kill, max.error_logger
    )
}
