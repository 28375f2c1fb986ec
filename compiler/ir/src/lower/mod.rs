//! Lowering from the Core Erlang tree to the IR: closure conversion,
//! `letrec` handling, calls, exceptions, receives and constants. Pattern
//! matching lives in `matching.rs`, the free variables of `letrec` groups in
//! `freevars.rs`; the clean-up and liveness passes run afterwards
//! (`crate::passes`).
//!
//! Lowering is destination-driven: every expression is lowered towards a
//! [`Dest`]: returned from the function, passed to a join block, or left
//! as values in the current block. A `case` whose result is returned thus
//! returns from each arm, and a `letrec_goto` function's body flows to the
//! same destination as the `letrec` itself, which is what lets its
//! applications become plain jumps.

mod freevars;
mod inline;
mod matching;
mod trmc;

use std::collections::{HashMap, HashSet};

use coral_syntax::ast::{self, Anno, ExprKind, Lit, Span};

use crate::bifs;
use crate::ir::*;

/// Input the lowering cannot handle: an unbound variable, an unknown
/// function, a wrong arity, an unknown primop. `span` points at the
/// offending node in the `.core` source.
#[derive(Clone, Debug, PartialEq)]
pub struct LowerError {
    pub message: String,
    pub span: Span,
}

impl std::fmt::Display for LowerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at bytes {:?})", self.message, self.span)
    }
}

impl std::error::Error for LowerError {}

type Res<T> = Result<T, LowerError>;

fn err<T>(span: Span, message: impl Into<String>) -> Res<T> {
    Err(LowerError {
        message: message.into(),
        span,
    })
}

/// How many values an expression lowered in place must give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    N(usize),
    /// Any number, all discarded (the first expression of `do`).
    Any,
}

/// Where the values of an expression go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dest {
    /// Returned from the function (tail position).
    Return,
    /// Passed to a join block; with `discard`, the block takes none.
    Jump { block: BlockId, discard: bool },
    /// Left in the current block.
    Here(Want),
}

/// What a name stands for.
#[derive(Clone, Debug)]
enum Binding {
    Var {
        level: usize,
        value: Value,
    },
    /// A letrec function (separate IR function) with the values of its
    /// free variables as seen at `level`.
    Fun {
        level: usize,
        func: FuncId,
        captures: Vec<Value>,
    },
    /// A `letrec_goto` function: a block of the function at `level`,
    /// applied only towards `dest`.
    Goto {
        level: usize,
        block: BlockId,
        dest: Dest,
    },
}

/// Lexically scoped names, with an undo log so that leaving a scope is
/// cheap.
#[derive(Default)]
struct Env<'a> {
    vars: HashMap<&'a str, Vec<Binding>>,
    funs: HashMap<(&'a str, u32), Vec<Binding>>,
    log: Vec<Undo<'a>>,
    /// The `N` of each variable `_N` bound so far in the top-level function
    /// being lowered, in order: erlc numbers its temporaries in the order
    /// it translates the source (see [`LambdaName`]).
    temps: Vec<u32>,
}

/// The mark of a [`LambdaName::key`] still to be resolved: its first part
/// is then a position in `Env::temps`.
const PENDING: u8 = 9;

/// `N` when `name` is erlc's temporary `_N`.
fn temp_number(name: &str) -> Option<u32> {
    name.strip_prefix('_')?.parse().ok()
}

enum Undo<'a> {
    Var(&'a str),
    Fun((&'a str, u32)),
}

impl<'a> Env<'a> {
    fn mark(&self) -> usize {
        self.log.len()
    }

    fn reset(&mut self, mark: usize) {
        while self.log.len() > mark {
            match self.log.pop() {
                Some(Undo::Var(n)) => {
                    if let Some(v) = self.vars.get_mut(n) {
                        v.pop();
                    }
                }
                Some(Undo::Fun(k)) => {
                    if let Some(v) = self.funs.get_mut(&k) {
                        v.pop();
                    }
                }
                None => break,
            }
        }
    }

    fn bind_var(&mut self, name: &'a str, b: Binding) {
        if let Some(n) = temp_number(name) {
            self.temps.push(n);
        }
        self.vars.entry(name).or_default().push(b);
        self.log.push(Undo::Var(name));
    }

    fn bind_fun(&mut self, name: &'a str, arity: u32, b: Binding) {
        self.funs.entry((name, arity)).or_default().push(b);
        self.log.push(Undo::Fun((name, arity)));
    }

    fn var(&self, name: &str) -> Option<&Binding> {
        self.vars.get(name).and_then(|v| v.last())
    }

    fn fun(&self, name: &'a str, arity: u32) -> Option<&Binding> {
        self.funs.get(&(name, arity)).and_then(|v| v.last())
    }
}

/// A block being built.
struct BlockData {
    params: Vec<Value>,
    insts: Vec<Inst>,
    term: Option<Terminator>,
    handler: Option<BlockId>,
}

/// One IR function being built.
struct FnBuilder {
    id: FuncId,
    blocks: Vec<BlockData>,
    cur: BlockId,
    next_value: u32,
    /// Lambdas capture outer values on first use; letrec functions have
    /// their environment fixed before their bodies are lowered.
    can_capture: bool,
    /// For lambdas: (outer value, environment parameter), in order.
    captures: Vec<(Value, Value)>,
    /// The block self tail calls jump to, taking all entry parameters.
    loop_header: Option<BlockId>,
    handler: Option<BlockId>,
    /// Inside a guard: where a failing operation goes.
    guard_fail: Option<BlockId>,
}

impl FnBuilder {
    fn new(id: FuncId, can_capture: bool) -> FnBuilder {
        let mut f = FnBuilder {
            id,
            blocks: Vec::new(),
            cur: BlockId(0),
            next_value: 0,
            can_capture,
            captures: Vec::new(),
            loop_header: None,
            handler: None,
            guard_fail: None,
        };
        f.new_block(0);
        f
    }

    fn value(&mut self) -> Value {
        let v = Value(self.next_value);
        self.next_value += 1;
        v
    }

    fn new_block(&mut self, nparams: usize) -> (BlockId, Vec<Value>) {
        let params: Vec<Value> = (0..nparams).map(|_| self.value()).collect();
        let id = BlockId(self.blocks.len() as u32);
        self.blocks.push(BlockData {
            params: params.clone(),
            insts: Vec::new(),
            term: None,
            handler: None,
        });
        (id, params)
    }

    fn add_param(&mut self, b: BlockId) -> Value {
        let v = self.value();
        self.blocks[b.0 as usize].params.push(v);
        v
    }

    fn emit(&mut self, op: Op, line: Option<u32>) -> Vec<Value> {
        let results: Vec<Value> = (0..op.result_count()).map(|_| self.value()).collect();
        let cur = self.cur.0 as usize;
        self.blocks[cur].insts.push(Inst {
            results: results.clone(),
            op,
            line,
        });
        results
    }

    fn emit1(&mut self, op: Op, line: Option<u32>) -> Value {
        let r = self.emit(op, line);
        r.first().copied().unwrap_or(Value(u32::MAX))
    }

    /// Ends the current block. Code that follows goes to a fresh block with
    /// no predecessors, which the clean-up removes.
    fn terminate(&mut self, term: Terminator) {
        let cur = self.cur.0 as usize;
        if self.blocks[cur].term.is_none() {
            self.blocks[cur].term = Some(term);
            self.blocks[cur].handler = self.handler;
        }
        let (dead, _) = self.new_block(0);
        self.cur = dead;
    }

    fn jump(&mut self, block: BlockId, args: Vec<Value>) {
        self.terminate(Terminator::Jump {
            target: BlockCall { block, args },
            back_edge: false,
        });
    }

    fn switch_to(&mut self, b: BlockId) {
        self.cur = b;
    }

    fn params(&self, b: BlockId) -> Vec<Value> {
        self.blocks[b.0 as usize].params.clone()
    }
}

/// Module-wide state.
pub(crate) struct Lowerer<'a> {
    literals: Vec<Term>,
    literal_ids: HashMap<Term, LitId>,
    functions: Vec<Option<Function>>,
    top: HashMap<(&'a str, u32), FuncId>,
    fns: Vec<FnBuilder>,
    env: Env<'a>,
    line: Option<u32>,
    /// The top-level function being lowered, for naming lambdas.
    top_name: (Box<str>, u32),
    lambda_count: u32,
    letrec_count: u32,
    /// erlc's next `N` for a `-F/A-fun-N-` name in the top-level function
    /// being lowered, as far as the source shows it (see [`LambdaName`]).
    fun_number: u32,
    /// Every lambda of the module, named once the whole module is lowered.
    lambda_names: Vec<LambdaName>,
    /// The `N`s of the comprehensions (`lc$^N`) of the top-level function
    /// being lowered: numbers erlc's counter gave to no fun.
    letrec_numbers: Vec<u32>,
    /// The temporary `_N` the lambda being lowered is bound to by a `let`.
    let_temp: Option<u32>,
    /// Whether the module went through `trmc::rewrite`, whose output (and
    /// only it: the rewrite refuses a module that uses these names)
    /// holds the primops `coral_cons_hole` and `coral_set_tail`.
    cons_loops: bool,
    /// See [`Module::lifted`].
    lifted: Vec<FuncId>,
}

/// What is known about a lambda's name when it is lowered.
///
/// erlc (`v3_core`) numbers the funs and list comprehensions of each
/// top-level function with one counter, in the order it translates them
/// (a call's arguments, a tuple's elements and a list's cells right to
/// left; a comprehension's generators before it, and before the funs
/// inside it; a fun after the funs inside it), and records a fun's name in
/// an `{id,{Index,Uniq,Name}}` annotation. The pretty-printed Core Erlang
/// drops that annotation on most funs, and prints the funs of a call's
/// arguments bound by `let`s in source order. But erlc numbers its
/// temporaries `_N` in translation order too, so [`number_lambdas`] orders
/// the unannotated funs by their temporaries ([`LambdaName::key`]) and
/// gives them the numbers that no annotation and no `lc$^N` name holds.
/// Every name is unique within the module: an annotated name is used by
/// its first fun, and a generated name skips every name taken elsewhere.
struct LambdaName {
    func: FuncId,
    top: (Box<str>, u32),
    /// The name from an `id` annotation.
    annotated: Option<Box<str>>,
    /// The `N` to try first for a generated name.
    number: u32,
    /// Where erlc met the fun, for ordering unannotated funs: the
    /// temporary `_N` it was bound to (`(N, 0)`), or else just before the
    /// first temporary `_N` bound after it (`(N - 1, 2)`). Temporaries that
    /// later passes made have higher numbers, out of this order; the first
    /// one after a fun is most often erlc's.
    key: (u32, u8),
}

/// `N` when `name` is `-F/A-fun-N-` for the top-level function `top`.
fn fun_name_number(name: &str, top: &(Box<str>, u32)) -> Option<u32> {
    let prefix = format!("-{}/{}-fun-", top.0, top.1);
    name.strip_prefix(prefix.as_str())?
        .strip_suffix('-')?
        .parse()
        .ok()
}

/// `N` when a letrec function is named `...$^N`, as erlc names list and
/// binary comprehensions from the counter it names funs with.
fn letrec_name_number(name: &str) -> Option<u32> {
    name.rsplit_once("$^")?.1.parse().ok()
}

/// Renumbers the unannotated funs of one top-level function in the order
/// erlc met them (their keys), onto the numbers neither an annotated fun
/// nor a comprehension (`letrecs`) of that function holds. `temps` are the
/// temporaries the function bound, in order, for the keys still pending.
///
/// erlc translates a call's arguments, a tuple's elements and a list's
/// cells right to left, and a comprehension's generators before the
/// comprehension; the printed Core Erlang binds such funs to temporaries in
/// source order, but the temporaries' numbers keep erlc's order.
fn number_lambdas(lambdas: &mut [LambdaName], temps: &[u32], letrecs: &[u32]) {
    for l in lambdas.iter_mut().filter(|l| l.key.1 == PENDING) {
        l.key = match temps.get(l.key.0 as usize) {
            Some(&t) => (t.saturating_sub(1), 2),
            None => (u32::MAX, 0),
        };
    }
    let taken: HashSet<u32> = lambdas
        .iter()
        .filter_map(|l| {
            l.annotated
                .as_deref()
                .and_then(|a| fun_name_number(a, &l.top))
        })
        .chain(letrecs.iter().copied())
        .collect();
    let mut unnamed: Vec<usize> = (0..lambdas.len())
        .filter(|&i| lambdas[i].annotated.is_none())
        .collect();
    // Stable: funs with equal keys keep the order they were lowered in.
    unnamed.sort_by_key(|&i| lambdas[i].key);
    let mut free = (0u32..).filter(|n| !taken.contains(n));
    for i in unnamed {
        if let Some(n) = free.next() {
            lambdas[i].number = n;
        }
    }
}

/// Gives every lambda its final name: unique within the module, erlc's
/// where it is known (see [`LambdaName`]).
fn name_lambdas(functions: &mut [Option<Function>], lambdas: &[LambdaName]) {
    let mut taken: HashSet<Box<str>> = functions
        .iter()
        .flatten()
        .filter(|f| !matches!(f.kind, FunKind::Lambda { .. }))
        .map(|f| f.name.clone())
        .collect();
    let mut keeps = vec![false; lambdas.len()];
    for (keep, l) in keeps.iter_mut().zip(lambdas) {
        if let Some(n) = &l.annotated {
            *keep = taken.insert(n.clone());
        }
    }
    for (keep, l) in keeps.iter().zip(lambdas) {
        let name = match (&l.annotated, keep) {
            (Some(n), true) => n.clone(),
            _ => {
                let mut n = l
                    .annotated
                    .as_deref()
                    .and_then(|a| fun_name_number(a, &l.top))
                    .unwrap_or(l.number);
                loop {
                    let name: Box<str> = format!("-{}/{}-fun-{}-", l.top.0, l.top.1, n).into();
                    if taken.insert(name.clone()) {
                        break name;
                    }
                    n = n.saturating_add(1);
                }
            }
        };
        if let Some(Some(f)) = functions.get_mut(l.func.0 as usize) {
            f.name = name;
        }
    }
}

/// `t` with every `-0.0` made `0.0`: the key under which OTP 25's
/// compiler merges literals.
fn zero_signs_merged(t: &Term) -> Term {
    const NEG_ZERO: u64 = 0x8000_0000_0000_0000;
    match t {
        Term::Float(NEG_ZERO) => Term::Float(0),
        Term::Tuple(es) => Term::Tuple(es.iter().map(zero_signs_merged).collect()),
        Term::List(es, tail) => Term::List(
            es.iter().map(zero_signs_merged).collect(),
            Box::new(zero_signs_merged(tail)),
        ),
        Term::Map(pairs) => Term::Map(
            pairs
                .iter()
                .map(|(k, v)| (zero_signs_merged(k), zero_signs_merged(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Lowers a module (see the crate documentation).
pub fn lower(module: &ast::Module) -> Result<Module, LowerError> {
    coral_syntax::with_deep_stack(|| lower_on_this_stack(module))
}

fn lower_on_this_stack(module: &ast::Module) -> Result<Module, LowerError> {
    // Loops first: a function that builds its result list gets its
    // recursive call turned into a tail call, which inlining leaves alone.
    let loops = trmc::rewrite(module);
    let (module, loops) = match &loops {
        Some((m, l)) => (m, &l[..]),
        None => (module, &[][..]),
    };
    match inline::trivial_clauses(module) {
        Some(m) => lower_module(&m, loops),
        None => lower_module(module, loops),
    }
}

fn lower_module(module: &ast::Module, loops: &[trmc::Loop]) -> Result<Module, LowerError> {
    let mut l = Lowerer {
        literals: Vec::new(),
        literal_ids: HashMap::new(),
        functions: Vec::new(),
        top: HashMap::new(),
        fns: Vec::new(),
        env: Env::default(),
        line: None,
        top_name: ("".into(), 0),
        lambda_count: 0,
        letrec_count: 0,
        fun_number: 0,
        letrec_numbers: Vec::new(),
        let_temp: None,
        lambda_names: Vec::new(),
        cons_loops: !loops.is_empty(),
        lifted: Vec::new(),
    };
    for def in &module.defs {
        let key = (&*def.name.kind.name, def.name.kind.arity);
        if l.top.contains_key(&key) {
            return err(
                def.name.span,
                format!("function {}/{} is defined more than once", key.0, key.1),
            );
        }
        if def.fun.kind.vars.len() != def.name.kind.arity as usize {
            return err(
                def.name.span,
                format!(
                    "function {}/{} has {} parameters",
                    key.0,
                    key.1,
                    def.fun.kind.vars.len()
                ),
            );
        }
        let id = l.reserve();
        l.top.insert(key, id);
    }
    let mut exports = Vec::new();
    for e in &module.exports {
        if !l.top.contains_key(&(&*e.kind.name, e.kind.arity)) {
            return err(
                e.span,
                format!(
                    "exported function {}/{} is not defined",
                    e.kind.name, e.kind.arity
                ),
            );
        }
        exports.push((e.kind.name.clone(), e.kind.arity));
    }
    let mut attributes = Vec::new();
    let mut file = None;
    for a in &module.attributes {
        let t = term_of_const(&a.value.kind);
        if &*a.key.kind == "file"
            && file.is_none()
            && let Term::List(items, _) = &t
            && let Some(Term::Tuple(parts)) = items.first()
            && let Some(name) = parts.first()
        {
            file = string_of_term(name);
        }
        attributes.push((a.key.kind.clone(), t));
    }
    for def in &module.defs {
        let id = l.top[&(&*def.name.kind.name, def.name.kind.arity)];
        l.top_name = (def.name.kind.name.clone(), def.name.kind.arity);
        l.lambda_count = 0;
        l.letrec_count = 0;
        l.fun_number = 0;
        l.env.temps.clear();
        l.letrec_numbers.clear();
        let first_lambda = l.lambda_names.len();
        l.line = def.fun.anno.line.or(def.name.anno.line).map(|n| n.get());
        let line = l.line;
        let f = l.lower_function(
            id,
            &def.fun.kind,
            def.name.kind.name.clone(),
            FunKind::TopLevel,
            Vec::new(),
            0,
            line,
        )?;
        l.functions[id.0 as usize] = Some(f);
        number_lambdas(
            &mut l.lambda_names[first_lambda..],
            &l.env.temps,
            &l.letrec_numbers,
        );
    }
    name_lambdas(&mut l.functions, &l.lambda_names);
    // A list-building loop shows as the function it came from, its last
    // two parameters as its environment.
    for lp in loops {
        let Some(&id) = l.top.get(&(&*lp.name, lp.parent.1 + 2)) else {
            continue;
        };
        if let Some(f) = &mut l.functions[id.0 as usize] {
            f.name = lp.parent.0.clone();
            f.arity = lp.parent.1;
            f.env_len = 2;
            f.kind = FunKind::ConsLoop {
                parent: lp.parent.clone(),
            };
        }
    }
    let mut functions = Vec::with_capacity(l.functions.len());
    for (i, f) in l.functions.into_iter().enumerate() {
        match f {
            Some(f) => functions.push(f),
            None => {
                return err(
                    module.span,
                    format!("internal error: function {i} was never lowered"),
                );
            }
        }
    }
    let mut m = Module {
        name: module.name.clone(),
        exports,
        attributes,
        file,
        literals: l.literals,
        functions,
        lifted: l.lifted,
    };
    crate::noreturn::frameless_calls(&mut m);
    Ok(m)
}

/// The text of a string term (a list of character codes).
fn string_of_term(t: &Term) -> Option<String> {
    match t {
        Term::Nil => Some(String::new()),
        Term::List(items, tail) if **tail == Term::Nil => items
            .iter()
            .map(|c| match c {
                Term::Int(coral_syntax::ast::Int::Small(i)) => {
                    u32::try_from(*i).ok().and_then(char::from_u32)
                }
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// A constant of the syntax tree as a term.
pub(crate) fn term_of_const(c: &ast::Const) -> Term {
    match c {
        ast::Const::Lit(l) => term_of_lit(l),
        ast::Const::Tuple(es) => Term::Tuple(es.iter().map(term_of_const).collect()),
        ast::Const::List(es, tail) => {
            let tail = tail.as_ref().map(|t| term_of_const(t)).unwrap_or(Term::Nil);
            make_list(es.iter().map(term_of_const).collect(), tail)
        }
    }
}

/// `[E1, ..., En | Tail]`, merging a list tail into one flat list.
fn make_list(mut elems: Vec<Term>, tail: Term) -> Term {
    if elems.is_empty() {
        return tail;
    }
    match tail {
        Term::List(more, t) => {
            elems.extend(more);
            Term::List(elems, t)
        }
        t => Term::List(elems, Box::new(t)),
    }
}

pub(crate) fn term_of_lit(l: &Lit) -> Term {
    match l {
        Lit::Atom(a) => Term::Atom(a.clone()),
        Lit::Int(i) => Term::Int(i.clone()),
        Lit::Float(f) => Term::Float(f.0.to_bits()),
        Lit::Char(c) => Term::Int(coral_syntax::ast::Int::Small(i64::from(u32::from(*c)))),
        Lit::String(s) => make_list(
            s.chars()
                .map(|c| Term::Int(coral_syntax::ast::Int::Small(i64::from(u32::from(c)))))
                .collect(),
            Term::Nil,
        ),
        Lit::Nil => Term::Nil,
    }
}

fn atom_of(e: &ast::Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Lit(Lit::Atom(a)) => Some(a),
        _ => None,
    }
}

fn has_letrec_goto(anno: &Anno) -> bool {
    anno.has_atom("letrec_goto")
}

/// The name in an `{'id',{Index,Uniq,Name}}` annotation of a lambda.
fn id_name(anno: &Anno) -> Option<Box<str>> {
    anno.terms.iter().find_map(|t| match t {
        ast::Const::Tuple(es) if es.len() == 2 => match (&es[0], &es[1]) {
            (ast::Const::Lit(Lit::Atom(k)), ast::Const::Tuple(id)) if &**k == "id" => {
                match id.get(2) {
                    Some(ast::Const::Lit(Lit::Atom(n))) => Some(n.clone()),
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    })
}

impl<'a> Lowerer<'a> {
    fn reserve(&mut self) -> FuncId {
        self.functions.push(None);
        FuncId(self.functions.len() as u32 - 1)
    }

    fn f(&mut self) -> &mut FnBuilder {
        let n = self.fns.len();
        &mut self.fns[n - 1]
    }

    fn level(&self) -> usize {
        self.fns.len() - 1
    }

    fn emit(&mut self, op: Op) -> Vec<Value> {
        let line = self.line;
        self.f().emit(op, line)
    }

    fn emit1(&mut self, op: Op) -> Value {
        let line = self.line;
        self.f().emit1(op, line)
    }

    fn konst(&mut self, c: Const) -> Value {
        self.f().emit1(Op::Const(c), None)
    }

    fn atom(&mut self, a: &str) -> Value {
        self.konst(Const::Atom(a.into()))
    }

    fn terminate(&mut self, t: Terminator) {
        self.f().terminate(t);
    }

    /// The constant for a term: immediates inline, others in the literal
    /// table.
    fn term_const(&mut self, t: Term) -> Const {
        match t {
            Term::Atom(a) => Const::Atom(a),
            Term::Nil => Const::Nil,
            Term::Int(coral_syntax::ast::Int::Small(i))
                if (SMALL_INT_MIN..=SMALL_INT_MAX).contains(&i) =>
            {
                Const::Int(i)
            }
            t => {
                // One literal per term as OTP 25 compares them (`=:=`, under
                // which 0.0 and -0.0 are equal): the first one lowered
                // stands for both, as in BEAM's literal table.
                let key = zero_signs_merged(&t);
                if let Some(id) = self.literal_ids.get(&key) {
                    return Const::Lit(*id);
                }
                let id = LitId(self.literals.len() as u32);
                self.literals.push(t);
                self.literal_ids.insert(key, id);
                Const::Lit(id)
            }
        }
    }

    /// Lowers one function (top-level or letrec) whose environment is
    /// fixed: `env_len` parameters follow the arguments, and `env_names`
    /// say which names and enclosing letrec functions they stand for.
    #[allow(clippy::too_many_arguments)]
    fn lower_function(
        &mut self,
        id: FuncId,
        fun: &'a ast::Fun,
        name: Box<str>,
        kind: FunKind,
        env_names: Vec<EnvEntry<'a>>,
        env_len: usize,
        line: Option<u32>,
    ) -> Res<Function> {
        let mark = self.env.mark();
        let mut b = FnBuilder::new(id, false);
        let arity = fun.vars.len();
        let nparams = arity + env_len;
        let entry_params: Vec<Value> = (0..nparams).map(|_| b.add_param(BlockId(0))).collect();
        let (header, hparams) = b.new_block(nparams);
        b.jump(header, entry_params);
        b.switch_to(header);
        b.loop_header = Some(header);
        self.fns.push(b);
        let level = self.level();
        for (v, p) in fun.vars.iter().zip(&hparams) {
            self.env
                .bind_var(&v.kind, Binding::Var { level, value: *p });
        }
        let env_params = &hparams[arity..];
        for entry in &env_names {
            match entry {
                EnvEntry::Var(n, i) => self.env.bind_var(
                    n,
                    Binding::Var {
                        level,
                        value: env_params[*i],
                    },
                ),
                EnvEntry::Fun(n, a, func, idxs) => self.env.bind_fun(
                    n,
                    *a,
                    Binding::Fun {
                        level,
                        func: *func,
                        captures: idxs.iter().map(|i| env_params[*i]).collect(),
                    },
                ),
            }
        }
        let r = self.expr(&fun.body, Dest::Return);
        self.env.reset(mark);
        let b = self.fns.pop();
        r?;
        let b = match b {
            Some(b) => b,
            None => return err(fun.body.span, "internal error: no function being built"),
        };
        self.finish_function(
            b,
            name,
            arity as u32,
            env_len as u32,
            kind,
            line,
            fun.body.span,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn finish_function(
        &mut self,
        b: FnBuilder,
        name: Box<str>,
        arity: u32,
        env_len: u32,
        kind: FunKind,
        line: Option<u32>,
        span: Span,
    ) -> Res<Function> {
        let blocks = b
            .blocks
            .into_iter()
            .map(|d| (d.params, d.insts, d.term, d.handler))
            .collect();
        let mut f = crate::passes::assemble(blocks, b.next_value, span)?;
        f.name = name;
        f.arity = arity;
        f.env_len = env_len;
        f.kind = kind;
        f.line = line;
        crate::passes::finish(&mut f);
        Ok(f)
    }

    // ---- values and names ----

    /// The value of a binding made at `level`, as seen from the function
    /// being built: lambdas in between capture it.
    fn resolve(&mut self, level: usize, v: Value, span: Span) -> Res<Value> {
        let mut val = v;
        for l in level + 1..self.fns.len() {
            let f = &mut self.fns[l];
            if let Some((_, p)) = f.captures.iter().find(|(o, _)| *o == val) {
                val = *p;
                continue;
            }
            if !f.can_capture {
                return err(
                    span,
                    "internal error: a letrec function refers to a variable outside its environment",
                );
            }
            let p = f.add_param(BlockId(0));
            f.captures.push((val, p));
            val = p;
        }
        Ok(val)
    }

    fn var(&mut self, name: &str, span: Span) -> Res<Value> {
        match self.env.var(name).cloned() {
            Some(Binding::Var { level, value }) => self.resolve(level, value, span),
            _ => err(span, format!("unbound variable {name}")),
        }
    }

    fn bind_vars(&mut self, vars: &'a [ast::Var], vals: &[Value]) {
        let level = self.level();
        for (v, val) in vars.iter().zip(vals) {
            self.env
                .bind_var(&v.kind, Binding::Var { level, value: *val });
        }
    }

    // ---- destinations ----

    /// Delivers `vals` to `d`.
    fn deliver(&mut self, vals: Vec<Value>, d: Dest, span: Span) -> Res<Vec<Value>> {
        match d {
            Dest::Here(Want::Any) => Ok(vals),
            Dest::Here(Want::N(n)) => {
                if vals.len() != n {
                    return err(
                        span,
                        format!(
                            "expected {n} value(s) here, the expression gives {}",
                            vals.len()
                        ),
                    );
                }
                Ok(vals)
            }
            Dest::Return => {
                if vals.len() != 1 {
                    return err(
                        span,
                        format!("a function returns one value, not {}", vals.len()),
                    );
                }
                self.terminate(Terminator::Return(vals[0]));
                Ok(Vec::new())
            }
            Dest::Jump { block, discard } => {
                let args = if discard {
                    Vec::new()
                } else {
                    let n = self.f().blocks[block.0 as usize].params.len();
                    if vals.len() != n {
                        return err(
                            span,
                            format!(
                                "expected {n} value(s) here, the expression gives {}",
                                vals.len()
                            ),
                        );
                    }
                    vals
                };
                self.f().jump(block, args);
                Ok(Vec::new())
            }
        }
    }

    /// For constructs with several exits: a destination they can all jump
    /// to, and what to do once they have been lowered.
    fn join_for(&mut self, d: Dest) -> (Dest, Option<BlockId>) {
        match d {
            Dest::Here(w) => {
                let (n, discard) = match w {
                    Want::N(n) => (n, false),
                    Want::Any => (0, true),
                };
                let (b, _) = self.f().new_block(n);
                (Dest::Jump { block: b, discard }, Some(b))
            }
            d => (d, None),
        }
    }

    fn after_join(&mut self, join: Option<BlockId>) -> Vec<Value> {
        match join {
            Some(b) => {
                self.f().switch_to(b);
                self.f().params(b)
            }
            None => Vec::new(),
        }
    }

    /// After control left for good (a jump to a letrec_goto block, a
    /// raise), values for code that follows and is never run.
    fn dead_values(&mut self, d: Dest) -> Vec<Value> {
        let n = match d {
            Dest::Here(Want::N(n)) => n,
            _ => 0,
        };
        let (b, ps) = self.f().new_block(n);
        self.f().switch_to(b);
        ps
    }

    // ---- expressions ----

    fn expr(&mut self, e: &'a ast::Expr, d: Dest) -> Res<Vec<Value>> {
        let saved = self.line;
        // `erlc` prints a call's line after its keyword, so the line
        // lands on the callee's node rather than on the call's.
        let callee_line = match &e.kind {
            ExprKind::Apply(a) => a.op.anno.line,
            ExprKind::Call(c) => c.module.anno.line.or(c.name.anno.line),
            ExprKind::PrimOp(p) => p.name.anno.line,
            _ => None,
        };
        if let Some(l) = e.anno.line.or(callee_line) {
            self.line = Some(l.get());
        }
        let r = self.expr_kind(e, d);
        self.line = saved;
        r
    }

    fn expr1(&mut self, e: &'a ast::Expr) -> Res<Value> {
        let vs = self.expr(e, Dest::Here(Want::N(1)))?;
        Ok(vs[0])
    }

    fn expr_kind(&mut self, e: &'a ast::Expr, d: Dest) -> Res<Vec<Value>> {
        let span = e.span;
        match &e.kind {
            ExprKind::Var(n) => {
                let v = self.var(n, span)?;
                self.deliver(vec![v], d, span)
            }
            ExprKind::Lit(l) => {
                let c = self.term_const(term_of_lit(l));
                let v = self.konst(c);
                self.deliver(vec![v], d, span)
            }
            ExprKind::FunName(fname) => {
                let v = self.fun_value(&fname.name, fname.arity, span)?;
                self.deliver(vec![v], d, span)
            }
            ExprKind::FunRef(r) => {
                let v = self.emit1(Op::ExportFun {
                    module: r.module.clone(),
                    name: r.name.clone(),
                    arity: r.arity,
                });
                self.deliver(vec![v], d, span)
            }
            ExprKind::Tuple(es) => {
                let v = if let Some(t) = try_const(e) {
                    let c = self.term_const(t);
                    self.konst(c)
                } else {
                    let mut vs = Vec::with_capacity(es.len());
                    for x in es {
                        vs.push(self.expr1(x)?);
                    }
                    self.emit1(Op::Tuple(vs))
                };
                self.deliver(vec![v], d, span)
            }
            ExprKind::List(list) => {
                let v = if let Some(t) = try_const(e) {
                    let c = self.term_const(t);
                    self.konst(c)
                } else {
                    let mut vs = Vec::with_capacity(list.elems.len());
                    for x in &list.elems {
                        vs.push(self.expr1(x)?);
                    }
                    let mut tail = match &list.tail {
                        Some(t) => self.expr1(t)?,
                        None => self.konst(Const::Nil),
                    };
                    for h in vs.into_iter().rev() {
                        tail = self.f().emit1(Op::Cons(h, tail), None);
                    }
                    tail
                };
                self.deliver(vec![v], d, span)
            }
            ExprKind::Binary(segs) => {
                let v = self.binary(e, segs)?;
                self.deliver(vec![v], d, span)
            }
            ExprKind::Map(m) => {
                let v = self.map(e, m)?;
                self.deliver(vec![v], d, span)
            }
            ExprKind::Values(es) => {
                let mut vs = Vec::with_capacity(es.len());
                for x in es {
                    vs.push(self.expr1(x)?);
                }
                self.deliver(vs, d, span)
            }
            ExprKind::Fun(fun) => {
                let v = self.lambda(fun, &e.anno, span)?;
                self.deliver(vec![v], d, span)
            }
            ExprKind::Let(l) => {
                if let ([v], ExprKind::Fun(_)) = (&l.vars[..], &l.arg.kind) {
                    self.let_temp = temp_number(&v.kind);
                }
                let vals = self.expr(&l.arg, Dest::Here(Want::N(l.vars.len())))?;
                let mark = self.env.mark();
                self.bind_vars(&l.vars, &vals);
                let r = self.expr(&l.body, d);
                self.env.reset(mark);
                r
            }
            ExprKind::Seq(s) => {
                self.expr(&s.arg, Dest::Here(Want::Any))?;
                self.expr(&s.body, d)
            }
            ExprKind::Letrec(lr) => {
                if has_letrec_goto(&e.anno) {
                    self.letrec_goto(lr, d)
                } else {
                    self.letrec(lr, d, span)
                }
            }
            ExprKind::Case(c) => self.case(c, d, span),
            ExprKind::Receive(r) => self.receive(r, d, span),
            ExprKind::Apply(a) => self.apply(a, d, span),
            ExprKind::Call(c) => self.call(c, d, span),
            ExprKind::PrimOp(p) => self.primop(p, d, span),
            ExprKind::Try(t) => self.try_(t, d, span),
            ExprKind::Catch(body) => self.catch(body, d, span),
        }
    }

    /// A function name used as a value: a fun.
    fn fun_value(&mut self, name: &'a str, arity: u32, span: Span) -> Res<Value> {
        match self.env.fun(name, arity).cloned() {
            Some(Binding::Fun {
                level,
                func,
                captures,
            }) => {
                let mut env = Vec::with_capacity(captures.len());
                for c in captures {
                    env.push(self.resolve(level, c, span)?);
                }
                Ok(self.emit1(Op::MakeFun { func, env }))
            }
            Some(Binding::Goto { .. }) => err(
                span,
                format!("the letrec_goto function {name}/{arity} cannot be used as a value"),
            ),
            Some(Binding::Var { .. }) | None => match self.top.get(&(name, arity)) {
                Some(func) => {
                    let func = *func;
                    Ok(self.emit1(Op::MakeFun {
                        func,
                        env: Vec::new(),
                    }))
                }
                None => err(span, format!("undefined function {name}/{arity}")),
            },
        }
    }

    fn lambda(&mut self, fun: &'a ast::Fun, anno: &Anno, span: Span) -> Res<Value> {
        let bound_to = self.let_temp.take();
        let id = self.reserve();
        let index = self.lambda_count;
        self.lambda_count += 1;
        let mark = self.env.mark();
        let mut b = FnBuilder::new(id, true);
        let params: Vec<Value> = fun.vars.iter().map(|_| b.add_param(BlockId(0))).collect();
        self.fns.push(b);
        self.bind_vars(&fun.vars, &params);
        let saved_line = self.line;
        let r = self.expr(&fun.body, Dest::Return);
        self.line = saved_line;
        self.env.reset(mark);
        let b = self.fns.pop();
        r?;
        let b = match b {
            Some(b) => b,
            None => return err(span, "internal error: no function being built"),
        };
        let env: Vec<Value> = b.captures.iter().map(|(o, _)| *o).collect();
        // Named after its body, as erlc numbers a fun after the funs inside
        // it; the final name is chosen with the whole module known.
        let annotated = id_name(anno);
        let number = match annotated.as_deref() {
            Some(a) => {
                if let Some(n) = fun_name_number(a, &self.top_name) {
                    self.fun_number = self.fun_number.max(n.saturating_add(1));
                }
                self.fun_number
            }
            None => {
                let n = self.fun_number;
                self.fun_number = n.saturating_add(1);
                n
            }
        };
        let name: Box<str> = annotated.clone().unwrap_or_else(|| {
            format!("-{}/{}-fun-{}-", self.top_name.0, self.top_name.1, number).into()
        });
        self.lambda_names.push(LambdaName {
            func: id,
            top: self.top_name.clone(),
            annotated,
            number,
            // Unbound: the place in `temps`, resolved once the function
            // is lowered (`PENDING`).
            key: bound_to.map_or((self.env.temps.len() as u32, PENDING), |n| (n, 0)),
        });
        let kind = FunKind::Lambda {
            parent: self.top_name.clone(),
            index,
        };
        let f = self.finish_function(
            b,
            name,
            fun.vars.len() as u32,
            env.len() as u32,
            kind,
            self.line,
            span,
        )?;
        self.functions[id.0 as usize] = Some(f);
        self.lifted.push(id);
        Ok(self.emit1(Op::MakeFun { func: id, env }))
    }

    fn letrec_goto(&mut self, lr: &'a ast::Letrec, d: Dest) -> Res<Vec<Value>> {
        let (d, join) = self.join_for(d);
        let mark = self.env.mark();
        let level = self.level();
        let mut blocks = Vec::new();
        for def in &lr.defs {
            let n = def.fun.kind.vars.len();
            if n != def.name.kind.arity as usize {
                return err(
                    def.name.span,
                    "letrec function arity differs from its parameters",
                );
            }
            let (b, ps) = self.f().new_block(n);
            self.env.bind_fun(
                &def.name.kind.name,
                def.name.kind.arity,
                Binding::Goto {
                    level,
                    block: b,
                    dest: d,
                },
            );
            blocks.push((b, ps));
        }
        let r = self.expr(&lr.body, d);
        if let Err(e) = r {
            self.env.reset(mark);
            return Err(e);
        }
        for (def, (b, ps)) in lr.defs.iter().zip(blocks) {
            self.f().switch_to(b);
            let inner = self.env.mark();
            self.bind_vars(&def.fun.kind.vars, &ps);
            let r = self.expr(&def.fun.kind.body, d);
            self.env.reset(inner);
            if let Err(e) = r {
                self.env.reset(mark);
                return Err(e);
            }
        }
        self.env.reset(mark);
        Ok(self.after_join(join))
    }

    fn letrec(&mut self, lr: &'a ast::Letrec, d: Dest, span: Span) -> Res<Vec<Value>> {
        // The group's environment: its free variables and the captures of
        // the enclosing letrec functions it calls, resolved here.
        let (free_vars, free_funs) = freevars::letrec_group(lr);
        let mut caps: Vec<Value> = Vec::new();
        let mut entries: Vec<EnvEntry<'a>> = Vec::new();
        let index_of = |caps: &mut Vec<Value>, v: Value| match caps.iter().position(|c| *c == v) {
            Some(i) => i,
            None => {
                caps.push(v);
                caps.len() - 1
            }
        };
        for n in &free_vars {
            let v = self.var(n, span)?;
            let i = index_of(&mut caps, v);
            entries.push(EnvEntry::Var(n, i));
        }
        for (n, a) in &free_funs {
            match self.env.fun(n, *a).cloned() {
                Some(Binding::Fun {
                    level,
                    func,
                    captures,
                }) => {
                    let mut idxs = Vec::new();
                    for c in captures {
                        let v = self.resolve(level, c, span)?;
                        idxs.push(index_of(&mut caps, v));
                    }
                    entries.push(EnvEntry::Fun(n, *a, func, idxs));
                }
                Some(Binding::Goto { .. }) => {
                    return err(
                        span,
                        format!(
                            "the letrec_goto function {n}/{a} is applied from another function"
                        ),
                    );
                }
                _ => {}
            }
        }
        let mut ids = Vec::new();
        for def in &lr.defs {
            if def.fun.kind.vars.len() != def.name.kind.arity as usize {
                return err(
                    def.name.span,
                    "letrec function arity differs from its parameters",
                );
            }
            ids.push(self.reserve());
        }
        let all: Vec<usize> = (0..caps.len()).collect();
        let mut inner_entries = entries.clone();
        for (def, id) in lr.defs.iter().zip(&ids) {
            inner_entries.push(EnvEntry::Fun(
                &def.name.kind.name,
                def.name.kind.arity,
                *id,
                all.clone(),
            ));
        }
        for (def, id) in lr.defs.iter().zip(&ids) {
            if let Some(n) = letrec_name_number(&def.name.kind.name) {
                self.fun_number = self.fun_number.max(n.saturating_add(1));
                self.letrec_numbers.push(n);
            }
            let index = self.letrec_count;
            self.letrec_count += 1;
            let name: Box<str> = format!(
                "-{}/{}-{}/{}-{}-",
                self.top_name.0, self.top_name.1, def.name.kind.name, def.name.kind.arity, index
            )
            .into();
            let kind = FunKind::Letrec {
                parent: self.top_name.clone(),
                local: (def.name.kind.name.clone(), def.name.kind.arity),
                index,
            };
            let saved_line = self.line;
            let line = def.fun.anno.line.map(|l| l.get()).or(self.line);
            self.line = line;
            let f = self.lower_function(
                *id,
                &def.fun.kind,
                name,
                kind,
                inner_entries.clone(),
                caps.len(),
                line,
            );
            self.line = saved_line;
            self.functions[id.0 as usize] = Some(f?);
            self.lifted.push(*id);
        }
        let mark = self.env.mark();
        let level = self.level();
        for (def, id) in lr.defs.iter().zip(&ids) {
            self.env.bind_fun(
                &def.name.kind.name,
                def.name.kind.arity,
                Binding::Fun {
                    level,
                    func: *id,
                    captures: caps.clone(),
                },
            );
        }
        let r = self.expr(&lr.body, d);
        self.env.reset(mark);
        r
    }

    // ---- calls ----

    fn args(&mut self, args: &'a [ast::Expr]) -> Res<Vec<Value>> {
        let mut vs = Vec::with_capacity(args.len());
        for a in args {
            vs.push(self.expr1(a)?);
        }
        Ok(vs)
    }

    fn apply(&mut self, a: &'a ast::Apply, d: Dest, span: Span) -> Res<Vec<Value>> {
        if let ExprKind::FunName(fname) = &a.op.kind {
            if fname.arity as usize != a.args.len() {
                return err(
                    span,
                    format!(
                        "{}/{} is applied to {} argument(s)",
                        fname.name,
                        fname.arity,
                        a.args.len()
                    ),
                );
            }
            match self.env.fun(&fname.name, fname.arity).cloned() {
                Some(Binding::Goto { level, block, dest }) => {
                    if level != self.level() || dest != d {
                        return err(
                            span,
                            format!(
                                "the letrec_goto function {}/{} is applied outside tail position",
                                fname.name, fname.arity
                            ),
                        );
                    }
                    if self.f().guard_fail.is_some() {
                        return err(span, "a letrec_goto function is applied inside a guard");
                    }
                    let args = self.args(&a.args)?;
                    self.f().jump(block, args);
                    return Ok(self.dead_values(d));
                }
                Some(Binding::Fun {
                    level,
                    func,
                    captures,
                }) => {
                    let mut args = self.args(&a.args)?;
                    for c in captures {
                        args.push(self.resolve(level, c, span)?);
                    }
                    return self.emit_call(Callee::Local(func), args, d, span);
                }
                Some(Binding::Var { .. }) | None => {
                    if let Some(func) = self.top.get(&(&*fname.name, fname.arity)) {
                        let func = *func;
                        let args = self.args(&a.args)?;
                        return self.emit_call(Callee::Local(func), args, d, span);
                    }
                    return err(
                        span,
                        format!("undefined function {}/{}", fname.name, fname.arity),
                    );
                }
            }
        }
        let f = self.expr1(&a.op)?;
        let args = self.args(&a.args)?;
        self.emit_call(Callee::Fun(f), args, d, span)
    }

    fn call(&mut self, c: &'a ast::Call, d: Dest, span: Span) -> Res<Vec<Value>> {
        if let (Some(m), Some(n)) = (atom_of(&c.module), atom_of(&c.name)) {
            let args = self.args(&c.args)?;
            if m == "erlang" && bifs::is_inline(n, args.len()) {
                let v = self.bif(n, args)?;
                return self.deliver(vec![v], d, span);
            }
            let callee = Callee::Remote {
                module: m.into(),
                name: n.into(),
                arity: args.len() as u32,
            };
            return self.emit_call(callee, args, d, span);
        }
        let module = self.expr1(&c.module)?;
        let name = self.expr1(&c.name)?;
        let args = self.args(&c.args)?;
        self.emit_call(Callee::Apply { module, name }, args, d, span)
    }

    /// An inline BIF: an instruction, or inside a guard an operation with
    /// a failure target.
    fn bif(&mut self, name: &str, args: Vec<Value>) -> Res<Value> {
        let fail = self.f().guard_fail;
        let op = Op::Bif {
            name: name.into(),
            args,
        };
        match fail {
            Some(fail) if !bifs::cannot_fail(name, op_arity(&op)) => Ok(self.guarded(op, fail)[0]),
            _ => Ok(self.emit1(op)),
        }
    }

    /// A failing operation inside a guard: ends the block.
    fn guarded(&mut self, op: Op, fail: BlockId) -> Vec<Value> {
        let n = op.result_count();
        let (ok, results) = self.f().new_block(n);
        self.terminate(Terminator::Guard {
            op,
            ok,
            fail: BlockCall {
                block: fail,
                args: Vec::new(),
            },
        });
        self.f().switch_to(ok);
        results
    }

    fn emit_call(
        &mut self,
        callee: Callee,
        args: Vec<Value>,
        d: Dest,
        span: Span,
    ) -> Res<Vec<Value>> {
        let noreturn = matches!(&callee, Callee::Remote { module, name, arity }
            if bifs::never_returns(module, name, *arity as usize));
        if let Some(fail) = self.f().guard_fail {
            if noreturn {
                // Raising inside a guard makes the guard false.
                self.f().jump(fail, Vec::new());
                return Ok(self.dead_values(d));
            }
            return err(span, "only BIFs can be called in a guard");
        }
        let line = self.line;
        if d == Dest::Return {
            let f = self.f();
            if let (Callee::Local(id), Some(header)) = (&callee, f.loop_header)
                && *id == f.id
                && f.handler.is_none()
            {
                f.terminate(Terminator::Jump {
                    target: BlockCall {
                        block: header,
                        args,
                    },
                    back_edge: true,
                });
                return Ok(Vec::new());
            }
            self.terminate(Terminator::TailCall { callee, args, line });
            return Ok(Vec::new());
        }
        let (cont, ps) = self.f().new_block(1);
        self.terminate(Terminator::Call {
            callee,
            args,
            cont,
            live: Vec::new(),
            line,
        });
        self.f().switch_to(cont);
        if noreturn {
            self.terminate(Terminator::Unreachable);
            return Ok(self.dead_values(d));
        }
        self.deliver(ps, d, span)
    }

    // ---- primops ----

    fn primop(&mut self, p: &'a ast::PrimOp, d: Dest, span: Span) -> Res<Vec<Value>> {
        let Some(name) = atom_of(&p.name) else {
            return err(p.name.span, "a primop name must be an atom");
        };
        let arity = p.args.len();
        let expect = |n: usize| -> Res<()> {
            if arity == n {
                Ok(())
            } else {
                err(
                    span,
                    format!("primop {name} takes {n} argument(s), not {arity}"),
                )
            }
        };
        let line = self.line;
        match name {
            "match_fail" => {
                expect(1)?;
                let reason = self.expr1(&p.args[0])?;
                self.noreturn(Terminator::MatchFail { reason, line }, d)
            }
            "raise" => {
                expect(2)?;
                let trace = self.expr1(&p.args[0])?;
                let reason = self.expr1(&p.args[1])?;
                self.noreturn(
                    Terminator::Raise {
                        trace,
                        reason,
                        line,
                    },
                    d,
                )
            }
            "raw_raise" => {
                expect(3)?;
                let class = self.expr1(&p.args[0])?;
                let reason = self.expr1(&p.args[1])?;
                let trace = self.expr1(&p.args[2])?;
                self.noreturn(
                    Terminator::RawRaise {
                        class,
                        reason,
                        trace,
                        line,
                    },
                    d,
                )
            }
            "build_stacktrace" => {
                expect(1)?;
                let v = self.expr1(&p.args[0])?;
                let r = self.emit1(Op::BuildStacktrace(v));
                self.deliver(vec![r], d, span)
            }
            "recv_peek_message" => {
                expect(0)?;
                let r = self.emit(Op::RecvPeekMessage);
                self.deliver(r, d, span)
            }
            "recv_next" | "remove_message" | "timeout" | "nif_start" => {
                expect(0)?;
                let op = match name {
                    "recv_next" => Op::RecvNext,
                    "remove_message" => Op::RemoveMessage,
                    "timeout" => Op::Timeout,
                    _ => Op::NifStart,
                };
                self.emit(op);
                let ok = self.atom("ok");
                self.deliver(vec![ok], d, span)
            }
            "recv_wait_timeout" => {
                expect(1)?;
                let t = self.expr1(&p.args[0])?;
                let r = self.wait_timeout(t, span)?;
                self.deliver(vec![r], d, span)
            }
            "bs_init_writable" => {
                expect(1)?;
                let v = self.expr1(&p.args[0])?;
                let r = self.emit1(Op::BsInitWritable(v));
                self.deliver(vec![r], d, span)
            }
            trmc::CONS_HOLE if self.cons_loops => {
                expect(1)?;
                let v = self.expr1(&p.args[0])?;
                let r = self.emit1(Op::ConsHole(v));
                self.deliver(vec![r], d, span)
            }
            trmc::SET_TAIL if self.cons_loops => {
                expect(2)?;
                let c = self.expr1(&p.args[0])?;
                let v = self.expr1(&p.args[1])?;
                self.emit(Op::SetTail(c, v));
                let ok = self.atom("ok");
                self.deliver(vec![ok], d, span)
            }
            _ => err(p.name.span, format!("unknown primop {name}/{arity}")),
        }
    }

    fn wait_timeout(&mut self, timeout: Value, span: Span) -> Res<Value> {
        if self.f().guard_fail.is_some() {
            return err(span, "a receive inside a guard");
        }
        let line = self.line;
        let (cont, ps) = self.f().new_block(1);
        self.terminate(Terminator::RecvWaitTimeout {
            timeout,
            cont,
            live: Vec::new(),
            line,
        });
        self.f().switch_to(cont);
        Ok(ps[0])
    }

    fn noreturn(&mut self, t: Terminator, d: Dest) -> Res<Vec<Value>> {
        if let Some(fail) = self.f().guard_fail {
            // An exception inside a guard makes the guard false.
            self.f().jump(fail, Vec::new());
        } else {
            self.terminate(t);
        }
        Ok(self.dead_values(d))
    }

    // ---- exceptions ----

    fn try_(&mut self, t: &'a ast::Try, d: Dest, span: Span) -> Res<Vec<Value>> {
        if !(t.evars.len() == 2 || t.evars.len() == 3) {
            return err(span, "a try takes two or three exception variables");
        }
        let (d, join) = self.join_for(d);
        if let Some(fail) = self.f().guard_fail {
            // In a guard nothing raises: a failure in the body goes to the
            // handler, with made-up exception values.
            let (handler, _) = self.f().new_block(0);
            self.f().guard_fail = Some(handler);
            let r = self.expr(&t.arg, Dest::Here(Want::N(t.vars.len())));
            self.f().guard_fail = Some(fail);
            let vals = r?;
            let mark = self.env.mark();
            self.bind_vars(&t.vars, &vals);
            let r = self.expr(&t.body, d);
            self.env.reset(mark);
            r?;
            self.f().switch_to(handler);
            let class = self.atom("error");
            let reason = self.atom("badarg");
            let trace = self.konst(Const::Nil);
            let mark = self.env.mark();
            self.bind_vars(&t.evars, &[class, reason, trace]);
            let r = self.expr(&t.handler, d);
            self.env.reset(mark);
            r?;
            return Ok(self.after_join(join));
        }
        let (handler, hparams) = self.f().new_block(3);
        let (body, _) = self.f().new_block(0);
        self.terminate(Terminator::TryEnter {
            kind: TryKind::Try,
            body,
            handler,
            live: Vec::new(),
        });
        self.f().switch_to(body);
        let outer = self.f().handler;
        self.f().handler = Some(handler);
        let r = self.expr(&t.arg, Dest::Here(Want::N(t.vars.len())));
        if r.is_ok() {
            self.f().emit(Op::TryExit, None);
        }
        self.f().handler = outer;
        let vals = r?;
        let mark = self.env.mark();
        self.bind_vars(&t.vars, &vals);
        let r = self.expr(&t.body, d);
        self.env.reset(mark);
        r?;
        self.f().switch_to(handler);
        let mark = self.env.mark();
        self.bind_vars(&t.evars, &hparams);
        let r = self.expr(&t.handler, d);
        self.env.reset(mark);
        r?;
        Ok(self.after_join(join))
    }

    /// `catch E`: `throw` gives the reason, `exit` gives `{'EXIT',Reason}`,
    /// `error` gives `{'EXIT',{Reason,Stack}}`.
    fn catch(&mut self, body: &'a ast::Expr, d: Dest, span: Span) -> Res<Vec<Value>> {
        if self.f().guard_fail.is_some() {
            return err(span, "catch inside a guard");
        }
        let (join, jp) = self.f().new_block(1);
        let (handler, hp) = self.f().new_block(3);
        let (bodyb, _) = self.f().new_block(0);
        self.terminate(Terminator::TryEnter {
            kind: TryKind::Catch,
            body: bodyb,
            handler,
            live: Vec::new(),
        });
        self.f().switch_to(bodyb);
        let outer = self.f().handler;
        self.f().handler = Some(handler);
        let r = self.expr(body, Dest::Here(Want::N(1)));
        self.f().handler = outer;
        let v = r?;
        self.f().emit(Op::TryExit, None);
        self.f().jump(join, v);

        self.f().switch_to(handler);
        let (class, reason, trace) = (hp[0], hp[1], hp[2]);
        let (b_throw, _) = self.f().new_block(0);
        let (b_exit, _) = self.f().new_block(0);
        let (b_error, _) = self.f().new_block(0);
        let call = |b: BlockId| BlockCall {
            block: b,
            args: Vec::new(),
        };
        self.terminate(Terminator::Switch {
            arg: class,
            cases: vec![
                (Const::Atom("throw".into()), call(b_throw)),
                (Const::Atom("exit".into()), call(b_exit)),
            ],
            default: call(b_error),
        });
        self.f().switch_to(b_throw);
        self.f().jump(join, vec![reason]);
        self.f().switch_to(b_exit);
        let exit = self.atom("EXIT");
        let t = self.f().emit1(Op::Tuple(vec![exit, reason]), None);
        self.f().jump(join, vec![t]);
        self.f().switch_to(b_error);
        let stack = self.f().emit1(Op::BuildStacktrace(trace), None);
        let inner = self.f().emit1(Op::Tuple(vec![reason, stack]), None);
        let exit = self.atom("EXIT");
        let t = self.f().emit1(Op::Tuple(vec![exit, inner]), None);
        self.f().jump(join, vec![t]);
        self.f().switch_to(join);
        self.deliver(jp, d, span)
    }

    // ---- binaries and maps ----

    fn binary(&mut self, e: &'a ast::Expr, segs: &'a [ast::Segment<ExprKind>]) -> Res<Value> {
        if let Some(t) = try_const(e) {
            let c = self.term_const(t);
            return Ok(self.konst(c));
        }
        let mut out = Vec::with_capacity(segs.len());
        for s in segs {
            let value = self.expr1(&s.kind.value)?;
            let spec = self.seg_spec(&s.kind, s.span, None)?;
            out.push((value, spec));
        }
        let op = Op::BinBuild { segs: out };
        match self.f().guard_fail {
            Some(fail) => Ok(self.guarded(op, fail)[0]),
            None => Ok(self.emit1(op)),
        }
    }

    /// A segment's size, unit, type and flags. `pattern_binds` are the
    /// variables bound so far by the enclosing pattern, which a size may
    /// refer to.
    fn seg_spec<V>(
        &mut self,
        s: &'a ast::SegmentKind<V>,
        span: Span,
        pattern_binds: Option<&[(&'a str, Value)]>,
    ) -> Res<SegSpec> {
        let kind = match atom_of(&s.kind) {
            Some("integer") => SegKind::Integer,
            Some("float") => SegKind::Float,
            Some("binary") | Some("bitstring") => SegKind::Binary,
            Some("utf8") => SegKind::Utf8,
            Some("utf16") => SegKind::Utf16,
            Some("utf32") => SegKind::Utf32,
            _ => return err(s.kind.span, "unknown binary segment type"),
        };
        let unit = match &s.unit.kind {
            ExprKind::Lit(Lit::Int(i)) => match i.as_i64() {
                Some(u) if (1..=256).contains(&u) => u as u32,
                _ => return err(s.unit.span, "a segment unit must be 1..256"),
            },
            ExprKind::Lit(Lit::Atom(a)) if &**a == "undefined" => 1,
            _ => return err(s.unit.span, "a segment unit must be an integer"),
        };
        let size = match &s.size.kind {
            ExprKind::Lit(Lit::Int(i)) => match i.as_i64() {
                Some(n) if n >= 0 => SegSize::Fixed(n as u64),
                // erlc accepts a negative or huge literal size, with a
                // warning; BEAM then fails at run time, as for a computed
                // size: construction raises (`badarg`, `system_limit`) and
                // a pattern does not match. Passing the size as a value
                // gives exactly the run-time check of a computed size.
                _ => {
                    let c = self.term_const(Term::Int(i.clone()));
                    SegSize::Dynamic(self.konst(c))
                }
            },
            ExprKind::Lit(Lit::Atom(a)) if &**a == "all" => SegSize::All,
            ExprKind::Lit(Lit::Atom(a)) if &**a == "undefined" => SegSize::Implicit,
            ExprKind::Var(n) => {
                let bound = pattern_binds
                    .and_then(|bs| bs.iter().rev().find(|(b, _)| *b == &**n).map(|(_, v)| *v));
                match bound {
                    Some(v) => SegSize::Dynamic(v),
                    None => SegSize::Dynamic(self.var(n, s.size.span)?),
                }
            }
            _ => {
                if pattern_binds.is_some() {
                    return err(
                        s.size.span,
                        "a segment size in a pattern must be a variable or a literal",
                    );
                }
                SegSize::Dynamic(self.expr1(&s.size)?)
            }
        };
        let mut signed = false;
        let mut endian = Endian::Big;
        let flags = match &s.flags.kind {
            ExprKind::List(l) if l.tail.is_none() => {
                l.elems.iter().map(atom_of).collect::<Vec<_>>()
            }
            ExprKind::Lit(Lit::Nil) => Vec::new(),
            _ => return err(s.flags.span, "segment flags must be a list of atoms"),
        };
        for f in flags {
            match f {
                Some("signed") => signed = true,
                Some("unsigned") => signed = false,
                Some("big") => endian = Endian::Big,
                Some("little") => endian = Endian::Little,
                Some("native") => endian = Endian::Native,
                _ => return err(s.flags.span, "unknown segment flag"),
            }
        }
        let _ = span;
        Ok(SegSpec {
            kind,
            size,
            unit,
            signed,
            endian,
        })
    }

    fn map(&mut self, e: &'a ast::Expr, m: &'a ast::Map) -> Res<Value> {
        if let Some(t) = try_const(e) {
            let c = self.term_const(t);
            return Ok(self.konst(c));
        }
        let map = match &m.arg {
            Some(a) => Some(self.expr1(a)?),
            None => None,
        };
        let mut pairs = Vec::with_capacity(m.pairs.len());
        for p in &m.pairs {
            let k = self.expr1(&p.kind.key)?;
            let v = self.expr1(&p.kind.value)?;
            let op = match p.kind.op {
                ast::MapOp::Assoc => MapOp::Assoc,
                ast::MapOp::Exact => MapOp::Exact,
            };
            pairs.push((op, k, v));
        }
        let op = Op::MapPut { map, pairs };
        match self.f().guard_fail {
            Some(fail) => Ok(self.guarded(op, fail)[0]),
            None => Ok(self.emit1(op)),
        }
    }
}

fn op_arity(op: &Op) -> usize {
    match op {
        Op::Bif { args, .. } => args.len(),
        _ => 0,
    }
}

/// An entry of a letrec function's environment: a variable and its index
/// among the environment parameters, or an enclosing letrec function and
/// the indices of its captures.
#[derive(Clone, Debug)]
enum EnvEntry<'a> {
    Var(&'a str, usize),
    Fun(&'a str, u32, FuncId, Vec<usize>),
}

/// The term an expression stands for, if it is made of literals alone.
fn try_const(e: &ast::Expr) -> Option<Term> {
    match &e.kind {
        ExprKind::Lit(l) => Some(term_of_lit(l)),
        ExprKind::Tuple(es) => Some(Term::Tuple(
            es.iter().map(try_const).collect::<Option<_>>()?,
        )),
        ExprKind::List(l) => {
            let elems: Vec<Term> = l.elems.iter().map(try_const).collect::<Option<_>>()?;
            let tail = match &l.tail {
                Some(t) => try_const(t)?,
                None => Term::Nil,
            };
            Some(make_list(elems, tail))
        }
        ExprKind::Map(m) if m.arg.is_none() => {
            let mut pairs: Vec<(Term, Term)> = Vec::new();
            for p in &m.pairs {
                if p.kind.op != ast::MapOp::Assoc {
                    return None;
                }
                let k = try_const(&p.kind.key)?;
                let v = try_const(&p.kind.value)?;
                if pairs.iter().any(|(k2, _)| *k2 == k) {
                    return None;
                }
                pairs.push((k, v));
            }
            Some(Term::Map(pairs))
        }
        ExprKind::Binary(segs) => const_binary(segs),
        _ => None,
    }
}

/// A binary of integer segments with literal values and sizes.
fn const_binary(segs: &[ast::Segment<ExprKind>]) -> Option<Term> {
    let mut bits: Vec<bool> = Vec::new();
    for s in segs {
        let s = &s.kind;
        if atom_of(&s.kind) != Some("integer") {
            return None;
        }
        let value = match &s.value.kind {
            ExprKind::Lit(Lit::Int(i)) => i.as_i64()?,
            ExprKind::Lit(Lit::Char(c)) => i64::from(u32::from(*c)),
            _ => return None,
        };
        let size = match (&s.size.kind, &s.unit.kind) {
            (ExprKind::Lit(Lit::Int(n)), ExprKind::Lit(Lit::Int(u))) => {
                n.as_i64()?.checked_mul(u.as_i64()?)?
            }
            _ => return None,
        };
        if !(0..=64).contains(&size) {
            return None;
        }
        let mut little = false;
        match &s.flags.kind {
            ExprKind::List(l) => {
                for f in &l.elems {
                    match atom_of(f)? {
                        "little" => little = true,
                        "big" | "signed" | "unsigned" => {}
                        _ => return None,
                    }
                }
            }
            ExprKind::Lit(Lit::Nil) => {}
            _ => return None,
        }
        if little && size % 8 != 0 {
            return None;
        }
        let size = size as u32;
        let mut seg: Vec<bool> = (0..size)
            .rev()
            .map(|i| {
                if i >= 64 {
                    value < 0
                } else {
                    (value >> i) & 1 == 1
                }
            })
            .collect();
        if little {
            let bytes: Vec<Vec<bool>> = seg.chunks(8).map(|c| c.to_vec()).collect();
            seg = bytes.into_iter().rev().flatten().collect();
        }
        bits.extend(seg);
    }
    let mut bytes = vec![0u8; bits.len().div_ceil(8)];
    for (i, b) in bits.iter().enumerate() {
        if *b {
            bytes[i / 8] |= 0x80 >> (i % 8);
        }
    }
    Some(Term::Binary {
        bytes,
        bits: bits.len() as u64,
    })
}
