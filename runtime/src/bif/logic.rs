//! The boolean operators as BIFs: `not/1`, `and/2`, `or/2`, `xor/2`. Both
//! arguments are always checked (these are not `andalso`/`orelse`), and any
//! argument that is not `true` or `false` is `badarg`.

use super::{BifResult, Exception};
use crate::heap::ProcessMemory;
use crate::term::Term;

fn boolean(t: Term) -> Result<bool, Exception> {
    if t == Term::boolean(true) {
        Ok(true)
    } else if t == Term::boolean(false) {
        Ok(false)
    } else {
        Err(Exception::badarg())
    }
}

pub fn not(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(Term::boolean(!boolean(a[0])?))
}

pub fn and(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let (x, y) = (boolean(a[0])?, boolean(a[1])?);
    Ok(Term::boolean(x && y))
}

pub fn or(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let (x, y) = (boolean(a[0])?, boolean(a[1])?);
    Ok(Term::boolean(x || y))
}

pub fn xor(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let (x, y) = (boolean(a[0])?, boolean(a[1])?);
    Ok(Term::boolean(x != y))
}
