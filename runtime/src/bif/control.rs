//! BIFs that steer control rather than compute: raising exceptions
//! (`error`, `throw`, `exit/1`), ending the node (`halt`), and
//! `erlang:display/1`, which writes straight to the terminal as BEAM's does.

use super::{BifResult, Exception, list_elements};
use crate::atom::{self, Atom};
use crate::heap::ProcessMemory;
use crate::term::Term;
use std::io::Write;

/// `erlang:display(Term)`: the term as BEAM's `erts_print` writes it, then
/// `\r\n` (what `erl -noshell` ends the line with whatever stdout is), with
/// no group leader in between.
pub(super) fn display(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    let mut bytes = crate::display::display(args[0], p);
    bytes.extend_from_slice(b"\r\n");
    let mut out = std::io::stdout().lock();
    // A closed stdout is not the program's error: BEAM ignores it too.
    let _ = out.write_all(&bytes).and_then(|_| out.flush());
    Ok(Term::atom(atom::TRUE))
}

/// `erlang:error(Reason)`.
pub(super) fn error_1(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Err(Exception::error(a[0]))
}

/// `erlang:error(Reason, Args)`: the arguments only show in the stack
/// trace, which the raise builds from the caller's location.
pub(super) fn error_2(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Err(Exception::error(a[0]))
}

/// `erlang:error(Reason, Args, Options)`.
pub(super) fn error_3(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Err(Exception::error(a[0]))
}

/// `erlang:raise(Class, Reason, Stacktrace)`: raises with the given
/// stack trace (see `Failure::Stack`); with a bad class or trace it does
/// not raise but returns `badarg`, as BEAM's does.
pub(super) fn raise_3(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let class = match a[0].atom_value() {
        Some(c) if c == atom::ERROR => super::Class::Error,
        Some(c) if c == atom::EXIT => super::Class::Exit,
        Some(c) if c == atom::THROW => super::Class::Throw,
        _ => return Ok(Term::atom(atom::BADARG)),
    };
    let Some(frames) = list_elements(p, a[2]) else {
        return Ok(Term::atom(atom::BADARG));
    };
    let frame_ok = |f: &Term| match f.tuple_elements(p) {
        Some(&[m, fun, ar, loc]) => {
            m.atom_value().is_some()
                && fun.atom_value().is_some()
                && (ar.small_value().is_some_and(|n| n >= 0) || list_elements(p, ar).is_some())
                && list_elements(p, loc).is_some()
        }
        Some(&[_, args, loc]) => {
            (args.small_value().is_some() || list_elements(p, args).is_some())
                && list_elements(p, loc).is_some()
        }
        _ => false,
    };
    if !frames.iter().all(frame_ok) {
        return Ok(Term::atom(atom::BADARG));
    }
    Err(Exception {
        class,
        reason: a[1],
    })
}

/// `erlang:throw(Any)`.
pub(super) fn throw_1(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Err(Exception::throw(a[0]))
}

/// `erlang:exit(Reason)`: ends the calling process (an exception of class
/// `exit`, which a `catch` can stop).
pub(super) fn exit_1(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Err(Exception::exit(a[0]))
}

/// What `halt` does with its status argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Halt {
    /// Exit with this status (BEAM passes the integer to `exit()`, so only
    /// its low byte reaches the parent).
    Status(i32),
    /// `halt(Slogan)`: BEAM writes a crash dump with this slogan and exits
    /// with status 1.
    Slogan(String),
    /// `halt(abort)`: abort the node (a core dump where allowed).
    Abort,
}

/// Parses `halt`'s status argument: a non-negative integer, `abort`, or a
/// string (the crash-dump slogan); anything else is `badarg`.
pub(crate) fn halt_status(p: &ProcessMemory, status: Term) -> Result<Halt, Exception> {
    if let Some(v) = status.small_value() {
        return match i32::try_from(v) {
            Ok(s) if s >= 0 => Ok(Halt::Status(s)),
            _ => Err(Exception::badarg()),
        };
    }
    if status.atom_value().is_some() && status.atom_value() == Atom::existing("abort") {
        return Ok(Halt::Abort);
    }
    let chars = list_elements(p, status).ok_or_else(Exception::badarg)?;
    let slogan = chars
        .iter()
        .map(|c| {
            c.small_value()
                .and_then(|v| u32::try_from(v).ok())
                .and_then(char::from_u32)
        })
        .collect::<Option<String>>()
        .ok_or_else(Exception::badarg)?;
    Ok(Halt::Slogan(slogan))
}

/// Ends the whole program the way `halt` asks, after flushing what was
/// written to stdout.
fn halt_now(h: Halt) -> ! {
    let _ = std::io::stdout().lock().flush();
    match h {
        Halt::Status(s) => std::process::exit(s),
        Halt::Slogan(s) => {
            // BEAM writes the slogan into `erl_crash.dump`; Coral writes no
            // dump, so the slogan goes to stderr.
            let _ = writeln!(std::io::stderr(), "Crash dump is being written: {s}");
            std::process::exit(1)
        }
        Halt::Abort => std::process::abort(),
    }
}

/// `erlang:halt()`.
pub(super) fn halt_0(_: &mut ProcessMemory, _: &[Term]) -> BifResult {
    halt_now(Halt::Status(0))
}

/// `erlang:halt(Status)`.
pub(super) fn halt_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let h = halt_status(p, a[0])?;
    halt_now(h)
}

/// `erlang:halt(Status, Options)`: the options (`{flush, Bool}`) only
/// matter for port output, which Coral writes synchronously.
pub(super) fn halt_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    if list_elements(p, a[1]).is_none() {
        return Err(Exception::badarg());
    }
    let h = halt_status(p, a[0])?;
    halt_now(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::{Class, lookup};

    fn call(p: &mut ProcessMemory, name: &str, args: &[Term]) -> BifResult {
        let f = lookup("erlang", name, args.len()).expect("in the table");
        f(p, args)
    }

    #[test]
    fn raising_bifs_raise_their_class_and_reason() {
        let mut p = ProcessMemory::new();
        let r = p.tuple(&[Term::atom(atom::BADARG), Term::NIL]).unwrap();
        let cases: [(&str, Vec<Term>, Class); 5] = [
            ("error", vec![r], Class::Error),
            ("error", vec![r, Term::NIL], Class::Error),
            ("error", vec![r, Term::NIL, Term::NIL], Class::Error),
            ("throw", vec![r], Class::Throw),
            ("exit", vec![r], Class::Exit),
        ];
        for (name, args, class) in cases {
            let e = call(&mut p, name, &args).expect_err(name);
            assert_eq!(e.class, class, "{name}/{}", args.len());
            assert_eq!(e.reason, r, "{name}/{}", args.len());
        }
    }

    #[test]
    fn display_returns_true() {
        let mut p = ProcessMemory::new();
        let r = call(&mut p, "display", &[Term::NIL]).unwrap();
        assert_eq!(r, Term::atom(atom::TRUE));
    }

    #[test]
    fn halt_status_accepts_what_beam_accepts() {
        let mut p = ProcessMemory::new();
        let three = Term::small(3).unwrap();
        assert_eq!(halt_status(&p, three), Ok(Halt::Status(3)));
        let abort = Term::atom(Atom::intern("abort").unwrap());
        assert_eq!(halt_status(&p, abort), Ok(Halt::Abort));
        let s = p.list(
            &[
                Term::small('h' as i64).unwrap(),
                Term::small('i' as i64).unwrap(),
            ],
            Term::NIL,
        );
        assert_eq!(halt_status(&p, s), Ok(Halt::Slogan("hi".to_string())));
        let bad = [
            Term::small(-1).unwrap(),
            Term::atom(atom::TRUE),
            p.float(1.0),
            p.cons(Term::atom(atom::TRUE), Term::NIL),
        ];
        for t in bad {
            assert_eq!(halt_status(&p, t), Err(Exception::badarg()));
        }
    }

    #[test]
    fn halt_with_bad_arguments_is_badarg_and_returns() {
        let mut p = ProcessMemory::new();
        let e = call(&mut p, "halt", &[Term::atom(atom::TRUE)]).unwrap_err();
        assert_eq!(e, Exception::badarg());
        let e = call(
            &mut p,
            "halt",
            &[Term::small(0).unwrap(), Term::atom(atom::TRUE)],
        )
        .unwrap_err();
        assert_eq!(e, Exception::badarg());
    }
}
