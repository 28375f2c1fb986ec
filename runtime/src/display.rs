//! Term printing, exactly as BEAM prints: [`display`] is `erlang:display/1`
//! (erts' C term printer) and [`write`] is `io_lib:write/1`, the `~w` of
//! `io:format`.
//!
//! Both walk the term with an explicit work stack, so any depth of nesting
//! prints without native recursion.
//!
//! # What `erlang:display/1` prints (checked on OTP 25)
//!
//! - Atoms are quoted unless the first character is a Latin-1 lower-case
//!   letter (`a-z`, `ß-ÿ` but `÷`) and every other one a Latin-1 letter,
//!   digit or `_` (so `'a@b'` is quoted, unlike in `~w`); reserved words are
//!   not quoted (`if`). Inside the name `'`, `\`, `\n`, `\f`, `\t`, `\r`,
//!   `\b`, `\v` are escaped, other control characters below 32 and 128..159
//!   print as three octal digits (`\033`), and the rest is written as UTF-8.
//! - A non-empty proper list of integers in 32..126, 160..255, `\n`, `\t`
//!   or `\r` prints as a string: `"` becomes `\"`, `\n` becomes `\n`, and
//!   every other character is written as its single Latin-1 byte (a tab
//!   stays a raw tab, `\` is not escaped).
//! - A binary of printable ASCII (32..126) prints as `<<"...">>` with only
//!   `"` escaped; any other binary (and `<<>>`) as `<<1,2,3>>`, a bitstring
//!   with its last bits as `Value:Bits` (`<<1,2:5>>`).
//! - Floats print as C's `%e` (`1.500000e+00`); maps as `#{a=>1,b=>2}`; maps
//!   above 32 keys print their hash trie as BEAM stores it: `#<bitmap>{...}`
//!   for the root, `<bitmap>{...}` for an inner node (a full inner node is a
//!   plain `{...}`), and each leaf as the cons `[Key|Value]`, all bitmaps in
//!   lower-case hex.
//! - Pids print as `<0.Id.Serial>`, ports as `#Port<0.N>`, references as
//!   `#Ref<0.N2.N1.N0>` (most significant number first), local funs as
//!   `#Fun<Module.Index.OldUniq>` (the module name unquoted), export funs as
//!   `fun M:F/A` with atoms quoted as above.
//!
//! # What `io_lib:write/1` (`~w`) prints
//!
//! - Atoms are quoted unless they start with a Latin-1 lower-case letter,
//!   continue with Latin-1 letters, digits, `_` and `@`, and are not a
//!   reserved word of OTP 25 (`maybe` and `else` are not reserved there).
//!   Quoted names escape `'` and `\`, name `\n \r \t \v \b \f \e \d`, write
//!   other characters below 160 in octal and characters above 255 as
//!   `\x{HEX}`.
//! - Lists never print as strings; binaries always as bytes (`<<97,98>>`).
//! - Floats are the shortest round-trip form (`float_to_list(F, [short])`).
//! - Maps print as `#{a => 1,b => 2}`, in `maps:next/1` order: key order
//!   for a flat map, and for a hash trie the reverse of `maps:to_list/1`.
//! - Pids, ports, references and funs print as `pid_to_list/1`,
//!   `port_to_list/1`, `ref_to_list/1` and `fun_to_list/1` make them, which
//!   is the C printer's form above.
//!
//! # Identifiers on other nodes
//!
//! BEAM prints a remote pid, port or reference with the channel number of
//! its node's distribution entry first. Coral has no distribution yet; it
//! prints the node name's atom index there, which is unique per node but
//! not what BEAM would print.

use crate::atom::Atom;
use crate::term::{HeapAccess, Term, TermKind};

#[derive(Copy, Clone, PartialEq, Eq)]
enum Style {
    Display,
    Write,
}

/// The bytes `erlang:display(T)` writes, without its line ending (`\n`,
/// or `\r\n` under `erl -noshell`).
pub fn display<H: HeapAccess + ?Sized>(t: Term, heap: &H) -> Vec<u8> {
    let mut out = Vec::new();
    print(t, heap, Style::Display, &mut out);
    out
}

/// The characters `io_lib:write(T)` (`~w`) produces.
pub fn write<H: HeapAccess + ?Sized>(t: Term, heap: &H) -> String {
    let mut out = Vec::new();
    print(t, heap, Style::Write, &mut out);
    // The writer only ever appends whole UTF-8 sequences.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Pending work of the printer: a term to print, fixed text, or the rest of
/// a sequence.
enum Work<'h> {
    Term(Term),
    Text(&'static str),
    /// The remaining elements of a tuple or trie node, each after a comma.
    Elements(&'h [Term]),
    /// The rest of a list after its first element: `,X...`, `|T` or nothing.
    ListRest(Term),
}

fn print<H: HeapAccess + ?Sized>(root: Term, heap: &H, style: Style, out: &mut Vec<u8>) {
    let mut stack: Vec<Work<'_>> = vec![Work::Term(root)];
    while let Some(w) = stack.pop() {
        match w {
            Work::Text(s) => out.extend_from_slice(s.as_bytes()),
            Work::Elements(rest) => {
                if let Some((&first, more)) = rest.split_first() {
                    out.push(b',');
                    stack.push(Work::Elements(more));
                    stack.push(Work::Term(first));
                }
            }
            Work::ListRest(tail) => {
                if let Some((h, t)) = tail.cons_parts(heap) {
                    out.push(b',');
                    stack.push(Work::ListRest(t));
                    stack.push(Work::Term(h));
                } else if !tail.is_nil() {
                    out.push(b'|');
                    stack.push(Work::Term(tail));
                }
            }
            Work::Term(t) => term(t, heap, style, out, &mut stack),
        }
    }
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(s.as_bytes());
}

fn term<'h, H: HeapAccess + ?Sized>(
    t: Term,
    heap: &'h H,
    style: Style,
    out: &mut Vec<u8>,
    stack: &mut Vec<Work<'h>>,
) {
    match t.kind(heap) {
        TermKind::Small | TermKind::BigInt => match t.integer_value(heap) {
            Some(i) => push_str(out, &i.to_string()),
            None => push_str(out, "<bad integer>"),
        },
        TermKind::Float => {
            let f = t.float_value(heap).unwrap_or(0.0);
            match style {
                Style::Display => push_str(out, &crate::float_text::display(f)),
                Style::Write => push_str(out, &crate::float_text::shortest(f)),
            }
        }
        TermKind::Atom => match t.atom_value() {
            Some(a) => atom(a, style, out),
            None => push_str(out, "<bad atom>"),
        },
        TermKind::Nil => push_str(out, "[]"),
        TermKind::Cons => {
            if style == Style::Display && printable_latin1(t, heap) {
                display_string(t, heap, out);
            } else if let Some((h, tl)) = t.cons_parts(heap) {
                out.push(b'[');
                stack.push(Work::Text("]"));
                stack.push(Work::ListRest(tl));
                stack.push(Work::Term(h));
            }
        }
        TermKind::Tuple => {
            let els = t.tuple_elements(heap).unwrap_or(&[]);
            out.push(b'{');
            stack.push(Work::Text("}"));
            if let Some((&first, rest)) = els.split_first() {
                stack.push(Work::Elements(rest));
                stack.push(Work::Term(first));
            }
        }
        TermKind::Map => map(t, heap, style, out, stack),
        TermKind::Binary => match t.bits(heap) {
            Some(v) => {
                let (bytes, bits) = v.to_bit_vec();
                binary(&bytes, bits, style, out);
            }
            None => push_str(out, "<bad binary>"),
        },
        TermKind::Fun => match t.fun_view(heap) {
            Some(f) => {
                push_str(out, "#Fun<");
                push_str(out, f.entry.module.text().unwrap_or(""));
                push_str(out, &format!(".{}.{}>", f.entry.index, f.entry.old_uniq));
            }
            None => push_str(out, "<bad fun>"),
        },
        TermKind::Export => match t.export_view(heap) {
            Some((m, f, a)) => {
                push_str(out, "fun ");
                display_atom(m, out);
                out.push(b':');
                display_atom(f, out);
                push_str(out, &format!("/{a}"));
            }
            None => push_str(out, "<bad fun>"),
        },
        TermKind::LocalPid => {
            let n = t.local_pid_number().unwrap_or(0);
            push_str(out, &format!("<0.{}.{}>", n & 0xFFFF_FFFF, n >> 32));
        }
        TermKind::LocalPort => {
            let n = t.local_port_number().unwrap_or(0);
            push_str(out, &format!("#Port<0.{n}>"));
        }
        TermKind::LocalRef => {
            let id = t.local_ref_id(heap).unwrap_or([0, 0]);
            let nums = [
                id[0] & 0xFFFF_FFFF,
                id[0] >> 32,
                id[1] & 0xFFFF_FFFF,
                id[1] >> 32,
            ];
            let used = if nums[3] == 0 { 3 } else { 4 };
            ref_text(0, nums[..used].iter().copied(), out);
        }
        TermKind::ExternalPid | TermKind::ExternalPort | TermKind::ExternalRef => {
            external(t, heap, out)
        }
        TermKind::Other => {
            if !trie_node(t, heap, out, stack) {
                push_str(out, "<unknown>");
            }
        }
    }
}

fn ref_text(channel: u64, nums: impl DoubleEndedIterator<Item = u64>, out: &mut Vec<u8>) {
    push_str(out, &format!("#Ref<{channel}"));
    for n in nums.rev() {
        push_str(out, &format!(".{n}"));
    }
    out.push(b'>');
}

fn external<H: HeapAccess + ?Sized>(t: Term, heap: &H, out: &mut Vec<u8>) {
    let Some(e) = t.external_view(heap) else {
        push_str(out, "<bad external>");
        return;
    };
    let channel = e.node.index() as u64;
    match t.kind(heap) {
        TermKind::ExternalPid => {
            let id = e.id.first().copied().unwrap_or(0);
            let serial = e.id.get(1).copied().unwrap_or(0);
            push_str(out, &format!("<{channel}.{id}.{serial}>"));
        }
        TermKind::ExternalPort => {
            let n = e.id.first().copied().unwrap_or(0);
            push_str(out, &format!("#Port<{channel}.{n}>"));
        }
        _ => ref_text(channel, e.id.iter().copied(), out),
    }
}

fn map<'h, H: HeapAccess + ?Sized>(
    t: Term,
    heap: &'h H,
    style: Style,
    out: &mut Vec<u8>,
    stack: &mut Vec<Work<'h>>,
) {
    if style == Style::Display
        && let Some((_, bitmap, children)) = t.hashmap_head_view(heap)
    {
        // BEAM's printer shows a trie as it is stored.
        push_str(out, &format!("#<{bitmap:x}>{{"));
        stack.push(Work::Text("}"));
        trie_children(children, stack);
        return;
    }
    let mut pairs = crate::map::to_vec(t, heap);
    if style == Style::Write && t.hashmap_head_view(heap).is_some() {
        // `io_lib:write` walks a map with `maps:next/1`, which visits a hash
        // trie in the reverse of `maps:to_list/1`'s order (a flat map in key
        // order either way).
        pairs.reverse();
    }
    let arrow = match style {
        Style::Display => "=>",
        Style::Write => " => ",
    };
    push_str(out, "#{");
    stack.push(Work::Text("}"));
    for (i, &(k, v)) in pairs.iter().enumerate().rev() {
        stack.push(Work::Term(v));
        stack.push(Work::Text(arrow));
        stack.push(Work::Term(k));
        if i > 0 {
            stack.push(Work::Text(","));
        }
    }
}

fn trie_children<'h>(children: &'h [Term], stack: &mut Vec<Work<'h>>) {
    if let Some((&first, rest)) = children.split_first() {
        stack.push(Work::Elements(rest));
        stack.push(Work::Term(first));
    }
}

/// Prints an inner trie node the way BEAM's display does; `false` if `t`
/// is not one.
fn trie_node<'h, H: HeapAccess + ?Sized>(
    t: Term,
    heap: &'h H,
    out: &mut Vec<u8>,
    stack: &mut Vec<Work<'h>>,
) -> bool {
    let Some((bitmap, children)) = t.hashmap_node_view(heap) else {
        return false;
    };
    if bitmap == 0xFFFF {
        // BEAM stores a full inner node as a 16-tuple.
        out.push(b'{');
    } else {
        push_str(out, &format!("<{bitmap:x}>{{"));
    }
    stack.push(Work::Text("}"));
    trie_children(children, stack);
    true
}

/// Whether `erlang:display` prints this list as a string.
fn printable_latin1<H: HeapAccess + ?Sized>(mut t: Term, heap: &H) -> bool {
    while let Some((h, tl)) = t.cons_parts(heap) {
        match h.small_value() {
            Some(c) if (32..=126).contains(&c) || (160..=255).contains(&c) => {}
            Some(9 | 10 | 13) => {}
            _ => return false,
        }
        t = tl;
    }
    t.is_nil()
}

fn display_string<H: HeapAccess + ?Sized>(mut t: Term, heap: &H, out: &mut Vec<u8>) {
    out.push(b'"');
    while let Some((h, tl)) = t.cons_parts(heap) {
        let c = h.small_value().unwrap_or(0) as u8;
        match c {
            b'\n' => push_str(out, "\\n"),
            b'"' => push_str(out, "\\\""),
            _ => out.push(c),
        }
        t = tl;
    }
    out.push(b'"');
}

fn binary(bytes: &[u8], bits: usize, style: Style, out: &mut Vec<u8>) {
    let whole = &bytes[..bits / 8];
    let rest = bits % 8;
    if style == Style::Display
        && rest == 0
        && !whole.is_empty()
        && whole.iter().all(|b| (32..127).contains(b))
    {
        push_str(out, "<<\"");
        for &b in whole {
            if b == b'"' {
                out.push(b'\\');
            }
            out.push(b);
        }
        push_str(out, "\">>");
        return;
    }
    push_str(out, "<<");
    let mut first = true;
    for b in whole {
        if !first {
            out.push(b',');
        }
        first = false;
        push_str(out, &b.to_string());
    }
    if rest > 0 {
        if !first {
            out.push(b',');
        }
        let v = bytes[bits / 8] >> (8 - rest);
        push_str(out, &format!("{v}:{rest}"));
    }
    push_str(out, ">>");
}

fn atom(a: Atom, style: Style, out: &mut Vec<u8>) {
    match style {
        Style::Display => display_atom(a, out),
        Style::Write => write_atom(a, out),
    }
}

fn latin1_lower(c: u32) -> bool {
    (u32::from(b'a')..=u32::from(b'z')).contains(&c) || ((223..=255).contains(&c) && c != 247)
}

fn latin1_upper(c: u32) -> bool {
    (u32::from(b'A')..=u32::from(b'Z')).contains(&c) || ((192..=222).contains(&c) && c != 215)
}

fn latin1_alnum(c: u32) -> bool {
    (u32::from(b'0')..=u32::from(b'9')).contains(&c) || latin1_lower(c) || latin1_upper(c)
}

/// Whether erts' printer quotes this name. It looks at the UTF-8 bytes: a
/// two-byte sequence counts as its code point, a continuation byte as a
/// letter, and the start of a longer sequence always forces quotes.
fn display_needs_quotes(name: &[u8]) -> bool {
    let class = |i: usize| -> u32 {
        let c = name[i];
        let next = name.get(i + 1).copied().unwrap_or(0);
        if c & 0x80 == 0 {
            c as u32
        } else if c & 0xE0 == 0xC0 {
            ((c as u32 & 0x1F) << 6) | (next as u32 & 0x3F)
        } else if c & 0xC0 == 0x80 {
            u32::from(b'a')
        } else {
            0
        }
    };
    if name.is_empty() || !latin1_lower(class(0)) {
        return true;
    }
    (1..name.len()).any(|i| {
        let c = class(i);
        !latin1_alnum(c) && c != u32::from(b'_')
    })
}

fn display_atom(a: Atom, out: &mut Vec<u8>) {
    let name = a.text().unwrap_or("").as_bytes();
    if name.is_empty() {
        push_str(out, "''");
        return;
    }
    let quote = display_needs_quotes(name);
    if quote {
        out.push(b'\'');
    }
    let mut i = 0;
    while i < name.len() {
        let c = name[i];
        i += 1;
        match c {
            b'\'' => push_str(out, "\\'"),
            b'\\' => push_str(out, "\\\\"),
            b'\n' => push_str(out, "\\n"),
            0x0C => push_str(out, "\\f"),
            b'\t' => push_str(out, "\\t"),
            b'\r' => push_str(out, "\\r"),
            0x08 => push_str(out, "\\b"),
            0x0B => push_str(out, "\\v"),
            0..=31 => push_str(out, &format!("\\{c:03o}")),
            0x80.. => {
                let len = if c & 0xE0 == 0xC0 {
                    2
                } else if c & 0xF0 == 0xE0 {
                    3
                } else {
                    4
                };
                let next = name.get(i).copied().unwrap_or(0);
                if c == 0xC2 && next < 0xA0 {
                    // U+0080..U+009F: a control character, in octal.
                    push_str(out, &format!("\\{next:03o}"));
                    i += 1;
                } else {
                    let end = (i - 1 + len).min(name.len());
                    out.extend_from_slice(&name[i - 1..end]);
                    i = end;
                }
            }
            _ => out.push(c),
        }
    }
    if quote {
        out.push(b'\'');
    }
}

/// Erlang's reserved words in OTP 25 (`erl_scan:reserved_word/1`).
const RESERVED: &[&str] = &[
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
    "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive",
    "rem", "try", "when", "xor",
];

fn write_name_char(c: u32) -> bool {
    latin1_alnum(c) || c == u32::from(b'_') || c == u32::from(b'@')
}

fn write_needs_quotes(name: &str) -> bool {
    if RESERVED.contains(&name) {
        return true;
    }
    let mut chars = name.chars().map(|c| c as u32);
    match chars.next() {
        Some(c) if latin1_lower(c) => !chars.all(write_name_char),
        _ => true,
    }
}

fn write_atom(a: Atom, out: &mut Vec<u8>) {
    let name = a.text().unwrap_or("");
    if !write_needs_quotes(name) {
        push_str(out, name);
        return;
    }
    out.push(b'\'');
    for ch in name.chars() {
        let c = ch as u32;
        match c {
            0x27 => push_str(out, "\\'"),
            0x5C => push_str(out, "\\\\"),
            32..=126 => out.push(c as u8),
            160..=255 => {
                let mut buf = [0u8; 4];
                push_str(out, ch.encode_utf8(&mut buf));
            }
            256.. => push_str(out, &format!("\\x{{{c:X}}}")),
            10 => push_str(out, "\\n"),
            13 => push_str(out, "\\r"),
            9 => push_str(out, "\\t"),
            11 => push_str(out, "\\v"),
            8 => push_str(out, "\\b"),
            12 => push_str(out, "\\f"),
            27 => push_str(out, "\\e"),
            127 => push_str(out, "\\d"),
            _ => push_str(out, &format!("\\{c:03o}")),
        }
    }
    out.push(b'\'');
}
