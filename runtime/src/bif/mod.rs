//! Built-in functions: the `erlang`, `lists` and `maps` functions that erts
//! implements natively, with BEAM's semantics and error reasons.
//!
//! # Calling convention
//!
//! A BIF is a plain Rust function `fn(&mut ProcessMemory, &[Term]) ->
//! Result<Term, Exception>` ([`Bif`]). It gets the calling process's memory
//! (to allocate its result) and its arguments, and returns the result or an
//! [`Exception`] carrying the class (`error`, `exit`, `throw`) and the reason
//! term (`badarg`, `{badmap, M}`, ...), built on the same heap.
//!
//! BIFs allocate only through the non-collecting constructors of
//! [`ProcessMemory`] (which spill into heap fragments when the heap is full),
//! so a BIF never triggers a garbage collection: its argument terms and every
//! term it has built stay valid for the whole call. The caller (compiled code)
//! treats a BIF call as a point where `htop` may move but no term moves.
//!
//! Lists, strings, iolists and terms are walked with loops and explicit
//! stacks, never by recursion on their length or depth, so no input can
//! overflow the native stack of a scheduler thread.
//!
//! BIFs are found by name through [`lookup`] (`lookup("erlang", "element", 2)`)
//! or by a stable index ([`index_of`], [`by_index`]) that compiled code can
//! embed. Compiled code reaches a BIF through [`coral_call_bif`], an
//! `extern "C"` entry point that takes the index, catches any Rust panic (which
//! must never unwind through compiled frames) and reports an exception through
//! an out-parameter, leaving the reason on the process heap.
//! The arithmetic operators also have direct entries taking their operands
//! in registers (`coral_arith_add`, ...; see `arith.rs`), for the slow path
//! of operations compiled code does inline on small integers and floats.

mod arith;
mod atoms;
mod binaries;
mod binmod;
mod boot;
mod calendar;
mod collections;
mod compare;
mod control;
mod external;
mod funs;
mod io;
mod lists;
mod logic;
mod map_iter;
mod maps;
mod math;
mod os;
mod persistent;
mod strings;
mod text;
mod tuples;
mod types;
mod unicode;

pub use arith::{
    coral_arith_add, coral_arith_band, coral_arith_bnot, coral_arith_bor, coral_arith_bsl,
    coral_arith_bsr, coral_arith_bxor, coral_arith_div, coral_arith_fdiv, coral_arith_mul,
    coral_arith_neg, coral_arith_rem, coral_arith_sub, entry_points as arith_entry_points,
};
pub(crate) use binaries::iolist_bytes;
pub use text::{format_decimals, format_scientific};

use crate::atom::{self, Atom};
use crate::heap::{ProcessContext, ProcessMemory};
use crate::term::{HeapAccess, Term};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The class of an exception.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Class {
    Error = 0,
    Exit = 1,
    Throw = 2,
}

impl Class {
    /// The class as the atom `try ... catch Class:Reason` binds.
    pub fn atom(self) -> Atom {
        match self {
            Class::Error => atom::ERROR,
            Class::Exit => atom::EXIT,
            Class::Throw => atom::THROW,
        }
    }
}

/// A raised exception: its class and its reason term (on the heap of the
/// process that raised it).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    pub class: Class,
    pub reason: Term,
}

/// What a BIF returns.
pub type BifResult = Result<Term, Exception>;

/// A built-in function.
pub type Bif = fn(&mut ProcessMemory, &[Term]) -> BifResult;

impl Exception {
    /// `error:Reason`.
    pub fn error(reason: Term) -> Exception {
        Exception {
            class: Class::Error,
            reason,
        }
    }

    pub fn exit(reason: Term) -> Exception {
        Exception {
            class: Class::Exit,
            reason,
        }
    }

    pub fn throw(reason: Term) -> Exception {
        Exception {
            class: Class::Throw,
            reason,
        }
    }

    /// `error:Atom`.
    pub fn error_atom(a: Atom) -> Exception {
        Exception::error(Term::atom(a))
    }

    pub fn badarg() -> Exception {
        Exception::error_atom(atom::BADARG)
    }

    pub fn badarith() -> Exception {
        Exception::error_atom(atom::BADARITH)
    }

    pub fn system_limit() -> Exception {
        Exception::error_atom(atom::SYSTEM_LIMIT)
    }

    /// `error:{Tag, Value}`, the shape of `{badmatch, V}`, `{badmap, M}`,
    /// `{badkey, K}`, `{case_clause, V}`, `{try_clause, V}`, ...
    pub fn error_with(p: &mut ProcessMemory, tag: Atom, value: Term) -> Exception {
        let reason = p.tuple(&[Term::atom(tag), value]).unwrap_or(Term::NIL);
        Exception::error(reason)
    }

    pub fn badmatch(p: &mut ProcessMemory, value: Term) -> Exception {
        Exception::error_with(p, atom::BADMATCH, value)
    }

    pub fn badmap(p: &mut ProcessMemory, value: Term) -> Exception {
        Exception::error_with(p, atom::BADMAP, value)
    }

    pub fn badkey(p: &mut ProcessMemory, key: Term) -> Exception {
        Exception::error_with(p, atom::BADKEY, key)
    }

    pub fn case_clause(p: &mut ProcessMemory, value: Term) -> Exception {
        Exception::error_with(p, atom::CASE_CLAUSE, value)
    }

    pub fn try_clause(p: &mut ProcessMemory, value: Term) -> Exception {
        Exception::error_with(p, atom::TRY_CLAUSE, value)
    }

    /// The `{Class, Reason}` tuple, as `catch C:R -> {C, R}` would build it.
    pub fn to_tuple(self, p: &mut ProcessMemory) -> Term {
        p.tuple(&[Term::atom(self.class.atom()), self.reason])
            .unwrap_or(Term::NIL)
    }
}

/// One entry of the BIF table.
#[derive(Copy, Clone)]
pub struct BifEntry {
    pub module: &'static str,
    pub name: &'static str,
    pub arity: u8,
    pub fun: Bif,
}

impl std::fmt::Debug for BifEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}/{}", self.module, self.name, self.arity)
    }
}

macro_rules! bif_table {
    ($($m:literal : $n:literal / $a:literal => $f:path,)*) => {
        /// Every BIF, in a fixed order: an entry's position is its index.
        static TABLE: &[BifEntry] = &[
            $(BifEntry { module: $m, name: $n, arity: $a, fun: $f },)*
        ];
    };
}

bif_table! {
    // Type tests.
    "erlang":"is_atom"/1 => types::is_atom,
    "erlang":"is_binary"/1 => types::is_binary,
    "erlang":"is_bitstring"/1 => types::is_bitstring,
    "erlang":"is_boolean"/1 => types::is_boolean,
    "erlang":"is_float"/1 => types::is_float,
    "erlang":"is_function"/1 => types::is_function_1,
    "erlang":"is_function"/2 => types::is_function_2,
    "erlang":"is_integer"/1 => types::is_integer,
    "erlang":"is_list"/1 => types::is_list,
    "erlang":"is_map"/1 => types::is_map,
    "erlang":"is_number"/1 => types::is_number,
    "erlang":"is_pid"/1 => types::is_pid,
    "erlang":"is_port"/1 => types::is_port,
    "erlang":"is_record"/2 => types::is_record_2,
    "erlang":"is_record"/3 => types::is_record_3,
    "erlang":"is_reference"/1 => types::is_reference,
    "erlang":"is_tuple"/1 => types::is_tuple,
    // Tuples.
    "erlang":"element"/2 => tuples::element,
    "erlang":"setelement"/3 => tuples::setelement,
    "erlang":"tuple_size"/1 => tuples::tuple_size,
    "erlang":"size"/1 => tuples::size,
    "erlang":"make_tuple"/2 => tuples::make_tuple_2,
    "erlang":"make_tuple"/3 => tuples::make_tuple_3,
    "erlang":"append_element"/2 => tuples::append_element,
    "erlang":"tuple_to_list"/1 => tuples::tuple_to_list,
    "erlang":"list_to_tuple"/1 => tuples::list_to_tuple,
    // Lists.
    "erlang":"length"/1 => lists::length,
    "erlang":"hd"/1 => lists::hd,
    "erlang":"tl"/1 => lists::tl,
    "erlang":"++"/2 => lists::append,
    "erlang":"--"/2 => lists::subtract,
    "lists":"reverse"/2 => lists::reverse,
    "lists":"keyfind"/3 => lists::keyfind,
    "lists":"keymember"/3 => lists::keymember,
    "lists":"member"/2 => lists::member,
    // Atoms.
    "erlang":"atom_to_list"/1 => atoms::atom_to_list,
    "erlang":"list_to_atom"/1 => atoms::list_to_atom,
    "erlang":"list_to_existing_atom"/1 => atoms::list_to_existing_atom,
    "erlang":"atom_to_binary"/1 => atoms::atom_to_binary_1,
    "erlang":"atom_to_binary"/2 => atoms::atom_to_binary_2,
    "erlang":"binary_to_atom"/1 => atoms::binary_to_atom_1,
    "erlang":"binary_to_atom"/2 => atoms::binary_to_atom_2,
    "erlang":"binary_to_existing_atom"/1 => atoms::binary_to_existing_atom_1,
    "erlang":"binary_to_existing_atom"/2 => atoms::binary_to_existing_atom_2,
    // Numbers as text.
    "erlang":"integer_to_list"/1 => text::integer_to_list_1,
    "erlang":"integer_to_list"/2 => text::integer_to_list_2,
    "erlang":"integer_to_binary"/1 => text::integer_to_binary_1,
    "erlang":"integer_to_binary"/2 => text::integer_to_binary_2,
    "erlang":"list_to_integer"/1 => text::list_to_integer_1,
    "erlang":"list_to_integer"/2 => text::list_to_integer_2,
    "erlang":"binary_to_integer"/1 => text::binary_to_integer_1,
    "erlang":"binary_to_integer"/2 => text::binary_to_integer_2,
    "erlang":"float_to_list"/1 => text::float_to_list_1,
    "erlang":"float_to_list"/2 => text::float_to_list_2,
    "erlang":"float_to_binary"/1 => text::float_to_binary_1,
    "erlang":"float_to_binary"/2 => text::float_to_binary_2,
    "erlang":"list_to_float"/1 => text::list_to_float,
    "erlang":"binary_to_float"/1 => text::binary_to_float,
    // Binaries.
    "erlang":"binary_to_list"/1 => binaries::binary_to_list_1,
    "erlang":"binary_to_list"/3 => binaries::binary_to_list_3,
    "erlang":"list_to_binary"/1 => binaries::list_to_binary,
    "erlang":"bitstring_to_list"/1 => binaries::bitstring_to_list,
    "erlang":"list_to_bitstring"/1 => binaries::list_to_bitstring,
    "erlang":"iolist_to_binary"/1 => binaries::iolist_to_binary,
    "erlang":"iolist_size"/1 => binaries::iolist_size,
    "erlang":"split_binary"/2 => binaries::split_binary,
    "erlang":"binary_part"/2 => binaries::binary_part_2,
    "erlang":"binary_part"/3 => binaries::binary_part_3,
    "erlang":"byte_size"/1 => binaries::byte_size,
    "erlang":"bit_size"/1 => binaries::bit_size,
    // Booleans.
    "erlang":"not"/1 => logic::not,
    "erlang":"and"/2 => logic::and,
    "erlang":"or"/2 => logic::or,
    "erlang":"xor"/2 => logic::xor,
    // Term comparison.
    "erlang":"=="/2 => compare::eq,
    "erlang":"/="/2 => compare::ne,
    "erlang":"=:="/2 => compare::exact_eq,
    "erlang":"=/="/2 => compare::exact_ne,
    "erlang":"<"/2 => compare::lt,
    "erlang":">"/2 => compare::gt,
    "erlang":"=<"/2 => compare::le,
    "erlang":">="/2 => compare::ge,
    "erlang":"max"/2 => compare::max,
    "erlang":"min"/2 => compare::min,
    // Maps.
    "erlang":"map_size"/1 => maps::map_size,
    "erlang":"is_map_key"/2 => maps::is_map_key,
    "erlang":"map_get"/2 => maps::map_get,
    "maps":"get"/2 => maps::get_2,
    "maps":"get"/3 => maps::get_3,
    "maps":"find"/2 => maps::find,
    "maps":"put"/3 => maps::put,
    "maps":"remove"/2 => maps::remove,
    "maps":"update"/3 => maps::update,
    "maps":"is_key"/2 => maps::is_key,
    "maps":"keys"/1 => maps::keys,
    "maps":"values"/1 => maps::values,
    "maps":"to_list"/1 => maps::to_list,
    "maps":"from_list"/1 => maps::from_list,
    "maps":"merge"/2 => maps::merge,
    "maps":"size"/1 => maps::size,
    "maps":"new"/0 => maps::new,
    // Arithmetic (appended, so the indices above stay as they were).
    "erlang":"+"/2 => arith::add,
    "erlang":"-"/2 => arith::sub,
    "erlang":"*"/2 => arith::mul,
    "erlang":"/"/2 => arith::fdiv,
    "erlang":"div"/2 => arith::int_div,
    "erlang":"rem"/2 => arith::rem,
    "erlang":"band"/2 => arith::band,
    "erlang":"bor"/2 => arith::bor,
    "erlang":"bxor"/2 => arith::bxor,
    "erlang":"bsl"/2 => arith::bsl,
    "erlang":"bsr"/2 => arith::bsr,
    "erlang":"bnot"/1 => arith::bnot,
    "erlang":"-"/1 => arith::neg,
    "erlang":"+"/1 => arith::plus,
    "erlang":"abs"/1 => arith::abs,
    "erlang":"float"/1 => arith::float,
    "erlang":"trunc"/1 => arith::trunc,
    "erlang":"round"/1 => arith::round,
    "erlang":"floor"/1 => arith::floor,
    "erlang":"ceil"/1 => arith::ceil,
    // Loaded modules (modules.rs).
    "erlang":"get_module_info"/1 => crate::modules::get_module_info_1,
    "erlang":"get_module_info"/2 => crate::modules::get_module_info_2,
    "erlang":"function_exported"/3 => crate::modules::function_exported_3,
    // ETS (ets.rs).
    "ets":"new"/2 => crate::ets::new_2,
    "ets":"delete"/1 => crate::ets::delete_1,
    "ets":"delete"/2 => crate::ets::delete_2,
    "ets":"delete_object"/2 => crate::ets::delete_object_2,
    "ets":"delete_all_objects"/1 => crate::ets::delete_all_objects_1,
    "ets":"insert"/2 => crate::ets::insert_2,
    "ets":"insert_new"/2 => crate::ets::insert_new_2,
    "ets":"lookup"/2 => crate::ets::lookup_2,
    "ets":"lookup_element"/3 => crate::ets::lookup_element_3,
    "ets":"member"/2 => crate::ets::member_2,
    "ets":"take"/2 => crate::ets::take_2,
    "ets":"update_counter"/3 => crate::ets::update_counter_3,
    "ets":"update_counter"/4 => crate::ets::update_counter_4,
    "ets":"update_element"/3 => crate::ets::update_element_3,
    "ets":"tab2list"/1 => crate::ets::tab2list_1,
    "ets":"first"/1 => crate::ets::first_1,
    "ets":"last"/1 => crate::ets::last_1,
    "ets":"next"/2 => crate::ets::next_2,
    "ets":"prev"/2 => crate::ets::prev_2,
    "ets":"info"/1 => crate::ets::info_1,
    "ets":"info"/2 => crate::ets::info_2,
    "ets":"whereis"/1 => crate::ets::whereis_1,
    "ets":"safe_fixtable"/2 => crate::ets::safe_fixtable_2,
    "ets":"give_away"/3 => crate::ets::give_away_3,
    "ets":"match"/2 => crate::ets::match_2,
    "ets":"match_object"/2 => crate::ets::match_object_2,
    "ets":"select"/2 => crate::ets::select_2,
    "ets":"select"/3 => crate::ets::select_3,
    "ets":"select"/1 => crate::ets::select_1,
    "ets":"select_count"/2 => crate::ets::select_count_2,
    "ets":"select_delete"/2 => crate::ets::select_delete_2,
    "ets":"all"/0 => crate::ets::all_0,
    // Processes (process/bifs.rs).
    "erlang":"self"/0 => crate::process::bifs::self_0,
    "erlang":"!"/2 => crate::process::bifs::send_2,
    "erlang":"send"/2 => crate::process::bifs::send_2,
    "erlang":"send"/3 => crate::process::bifs::send_3,
    "erlang":"spawn"/1 => crate::process::bifs::spawn_1,
    "erlang":"spawn"/3 => crate::process::bifs::spawn_3,
    "erlang":"spawn_link"/1 => crate::process::bifs::spawn_link_1,
    "erlang":"spawn_link"/3 => crate::process::bifs::spawn_link_3,
    "erlang":"spawn_monitor"/1 => crate::process::bifs::spawn_monitor_1,
    "erlang":"spawn_monitor"/3 => crate::process::bifs::spawn_monitor_3,
    "erlang":"spawn_opt"/2 => crate::process::bifs::spawn_opt_2,
    "erlang":"spawn_opt"/4 => crate::process::bifs::spawn_opt_4,
    "erlang":"link"/1 => crate::process::bifs::link_1,
    "erlang":"unlink"/1 => crate::process::bifs::unlink_1,
    "erlang":"monitor"/2 => crate::process::bifs::monitor_2,
    "erlang":"monitor"/3 => crate::process::bifs::monitor_3,
    "erlang":"alias"/0 => crate::process::bifs::alias_0,
    "erlang":"alias"/1 => crate::process::bifs::alias_1,
    "erlang":"unalias"/1 => crate::process::bifs::unalias_1,
    "erlang":"demonitor"/1 => crate::process::bifs::demonitor_1,
    "erlang":"demonitor"/2 => crate::process::bifs::demonitor_2,
    "erlang":"exit"/2 => crate::process::bifs::exit_2,
    "erlang":"process_flag"/2 => crate::process::bifs::process_flag_2,
    "erlang":"register"/2 => crate::process::bifs::register_2,
    "erlang":"unregister"/1 => crate::process::bifs::unregister_1,
    "erlang":"whereis"/1 => crate::process::bifs::whereis_1,
    "erlang":"registered"/0 => crate::process::bifs::registered_0,
    "erlang":"group_leader"/0 => crate::process::bifs::group_leader_0,
    "erlang":"group_leader"/2 => crate::process::bifs::group_leader_2,
    "erlang":"is_process_alive"/1 => crate::process::bifs::is_process_alive_1,
    "erlang":"process_info"/1 => crate::process::bifs::process_info_1,
    "erlang":"process_info"/2 => crate::process::bifs::process_info_2,
    "erlang":"put"/2 => crate::process::bifs::put_2,
    "erlang":"get"/1 => crate::process::bifs::get_1,
    "erlang":"get"/0 => crate::process::bifs::get_0,
    "erlang":"erase"/1 => crate::process::bifs::erase_1,
    "erlang":"erase"/0 => crate::process::bifs::erase_0,
    "erlang":"get_keys"/0 => crate::process::bifs::get_keys_0,
    "erlang":"get_keys"/1 => crate::process::bifs::get_keys_1,
    "erlang":"coral_process_info_request"/2 => crate::process::bifs::process_info_request_2,
    "erts_debug":"flat_size"/1 => crate::process::bifs::flat_size_1,
    "erts_debug":"size"/1 => crate::process::bifs::flat_size_1,
    "erlang":"make_ref"/0 => crate::process::bifs::make_ref_0,
    "erlang":"yield"/0 => crate::process::bifs::yield_0,
    "erlang":"hibernate"/3 => crate::process::bifs::hibernate_3,
    "erlang":"fun_info"/1 => funs::fun_info_1,
    "erlang":"fun_info"/2 => funs::fun_info_2,
    "erlang":"fun_to_list"/1 => funs::fun_to_list_1,
    "erlang":"node"/0 => crate::process::bifs::node_0,
    "erlang":"system_info"/1 => crate::process::bifs::system_info_1,
    "erlang":"statistics"/1 => crate::process::bifs::statistics_1,
    "erlang":"garbage_collect"/0 => crate::process::bifs::garbage_collect_0,
    "erlang":"garbage_collect"/1 => crate::process::bifs::garbage_collect_1,
    "erlang":"bump_reductions"/1 => crate::process::bifs::bump_reductions_1,
    "erlang":"processes"/0 => crate::process::bifs::processes_0,
    "erlang":"ports"/0 => crate::process::bifs::ports_0,
    "erlang":"module_loaded"/1 => crate::modules::module_loaded_1,
    "erlang":"loaded"/0 => crate::modules::loaded_0,
    "file":"read_file"/1 => crate::process::bifs::read_file_1,
    "os":"cmd"/1 => crate::process::bifs::os_cmd_1,
    "file":"write_file"/2 => crate::process::bifs::write_file_2,
    "file":"list_dir"/1 => crate::process::bifs::list_dir_1,
    "file":"delete"/1 => crate::process::bifs::delete_1,
    "file":"make_dir"/1 => crate::process::bifs::make_dir_1,
    "file":"del_dir"/1 => crate::process::bifs::del_dir_1,
    "file":"rename"/2 => crate::process::bifs::rename_2,
    "file":"get_cwd"/0 => crate::process::bifs::get_cwd_0,
    "erlang":"localtime"/0 => calendar::localtime_0,
    "erlang":"universaltime"/0 => calendar::universaltime_0,
    "erlang":"date"/0 => calendar::date_0,
    "erlang":"time"/0 => calendar::time_0,
    "erlang":"now"/0 => calendar::now_0,
    "erlang":"unique_integer"/0 => calendar::unique_integer_0,
    "erlang":"unique_integer"/1 => calendar::unique_integer_1,
    "erlang":"node"/1 => crate::process::bifs::node_1,
    "erlang":"send_after"/3 => crate::process::bifs::send_after_3,
    "erlang":"start_timer"/3 => crate::process::bifs::start_timer_3,
    "erlang":"cancel_timer"/1 => crate::process::bifs::cancel_timer_1,
    "erlang":"read_timer"/1 => crate::process::bifs::read_timer_1,
    "erlang":"send_after"/4 => crate::process::bifs::send_after_4,
    "erlang":"start_timer"/4 => crate::process::bifs::start_timer_4,
    "erlang":"cancel_timer"/2 => crate::process::bifs::cancel_timer_2,
    "erlang":"read_timer"/2 => crate::process::bifs::read_timer_2,
    "erlang":"monotonic_time"/0 => crate::process::bifs::monotonic_time_0,
    "erlang":"monotonic_time"/1 => crate::process::bifs::monotonic_time_1,
    "erlang":"system_time"/0 => crate::process::bifs::system_time_0,
    "erlang":"system_time"/1 => crate::process::bifs::system_time_1,
    "erlang":"time_offset"/0 => crate::process::bifs::time_offset_0,
    "erlang":"time_offset"/1 => crate::process::bifs::time_offset_1,
    "erlang":"timestamp"/0 => crate::process::bifs::timestamp_0,
    "os":"timestamp"/0 => crate::process::bifs::timestamp_0,
    "os":"system_time"/0 => crate::process::bifs::system_time_0,
    "os":"system_time"/1 => crate::process::bifs::system_time_1,
    "erlang":"convert_time_unit"/3 => crate::process::bifs::convert_time_unit_3,
    // Control (appended likewise).
    "erlang":"display"/1 => control::display,
    "erlang":"error"/1 => control::error_1,
    "erlang":"error"/2 => control::error_2,
    "erlang":"error"/3 => control::error_3,
    "erlang":"throw"/1 => control::throw_1,
    "erlang":"raise"/3 => control::raise_3,
    "erlang":"exit"/1 => control::exit_1,
    "erlang":"halt"/0 => control::halt_0,
    "erlang":"halt"/1 => control::halt_1,
    "erlang":"halt"/2 => control::halt_2,
    // I/O (appended likewise): the primitive under stdlib's coral_io_server.
    "coral_io":"put_chars"/4 => io::put_chars,
    "unicode":"bin_is_7bit"/1 => unicode::bin_is_7bit,
    "unicode":"characters_to_list"/2 => unicode::characters_to_list,
    "unicode":"characters_to_binary"/2 => unicode::characters_to_binary,
    "net_kernel":"dflag_unicode_io"/1 => io::dflag_unicode_io,
    "erts_internal":"map_next"/3 => map_iter::map_next,
    "persistent_term":"get"/0 => persistent::get_0,
    "persistent_term":"get"/1 => persistent::get_1,
    "persistent_term":"get"/2 => persistent::get_2,
    "persistent_term":"put"/2 => persistent::put_2,
    "persistent_term":"erase"/1 => persistent::erase_1,
    "init":"get_arguments"/0 => boot::get_arguments,
    "init":"get_argument"/1 => boot::get_argument,
    "code":"ensure_modules_loaded"/1 => boot::ensure_modules_loaded,
    "os":"getenv"/0 => os::getenv_0,
    "os":"getenv"/1 => os::getenv_1,
    "os":"putenv"/2 => os::putenv_2,
    "os":"unsetenv"/1 => os::unsetenv_1,
    "string":"list_to_integer"/1 => strings::list_to_integer,
    "string":"list_to_float"/1 => strings::list_to_float,
    "binary":"match"/2 => binmod::match_2,
    "binary":"match"/3 => binmod::match_3,
    "binary":"matches"/2 => binmod::matches_2,
    "binary":"matches"/3 => binmod::matches_3,
    "binary":"split"/2 => binmod::split_2,
    "binary":"referenced_byte_size"/1 => binmod::referenced_byte_size,
    "binary":"split"/3 => binmod::split_3,
    "binary":"compile_pattern"/1 => binmod::compile_pattern,
    "binary":"part"/2 => binmod::part_2,
    "binary":"part"/3 => binmod::part_3,
    "binary":"at"/2 => binmod::at,
    "binary":"first"/1 => binmod::first,
    "binary":"last"/1 => binmod::last,
    "binary":"copy"/1 => binmod::copy_1,
    "binary":"copy"/2 => binmod::copy_2,
    "binary":"decode_unsigned"/1 => binmod::decode_unsigned_1,
    "binary":"decode_unsigned"/2 => binmod::decode_unsigned_2,
    "binary":"encode_unsigned"/1 => binmod::encode_unsigned_1,
    "binary":"encode_unsigned"/2 => binmod::encode_unsigned_2,
    "binary":"list_to_bin"/1 => binmod::list_to_bin,
    "binary":"longest_common_prefix"/1 => binmod::longest_common_prefix,
    "binary":"longest_common_suffix"/1 => binmod::longest_common_suffix,
    "lists":"keysearch"/3 => collections::keysearch,
    "maps":"take"/2 => collections::maps_take,
    "maps":"from_keys"/2 => collections::maps_from_keys,
    "io":"printable_range"/0 => collections::printable_range,
    "os":"getpid"/0 => collections::getpid,
    "erlang":"term_to_binary"/1 => external::term_to_binary,
    "erlang":"term_to_binary"/2 => external::term_to_binary_2,
    "erlang":"external_size"/1 => external::external_size_1,
    "erlang":"binary_to_term"/1 => external::binary_to_term,
    "erlang":"phash2"/1 => external::phash2_1,
    "erlang":"phash2"/2 => external::phash2_2,
    "erlang":"phash"/2 => external::phash_2,
    "erlang":"crc32"/1 => external::crc32_1,
    "erlang":"crc32"/2 => external::crc32_2,
    "erlang":"adler32"/1 => external::adler32_1,
    "erlang":"adler32"/2 => external::adler32_2,
    "erlang":"md5"/1 => external::md5_1,
    "erlang":"md5_init"/0 => external::md5_init,
    "erlang":"md5_update"/2 => external::md5_update,
    "erlang":"md5_final"/1 => external::md5_final,
    "erlang":"insert_element"/3 => collections::insert_element,
    "erlang":"delete_element"/2 => collections::delete_element,
    "math":"sin"/1 => math::sin,
    "math":"cos"/1 => math::cos,
    "math":"tan"/1 => math::tan,
    "math":"asin"/1 => math::asin,
    "math":"acos"/1 => math::acos,
    "math":"atan"/1 => math::atan,
    "math":"atan2"/2 => math::atan2,
    "math":"sinh"/1 => math::sinh,
    "math":"cosh"/1 => math::cosh,
    "math":"tanh"/1 => math::tanh,
    "math":"asinh"/1 => math::asinh,
    "math":"acosh"/1 => math::acosh,
    "math":"atanh"/1 => math::atanh,
    "math":"exp"/1 => math::exp,
    "math":"log"/1 => math::log,
    "math":"log2"/1 => math::log2,
    "math":"log10"/1 => math::log10,
    "math":"pow"/2 => math::pow,
    "math":"sqrt"/1 => math::sqrt,
    "math":"erf"/1 => math::erf,
    "math":"erfc"/1 => math::erfc,
    "math":"floor"/1 => math::floor,
    "math":"ceil"/1 => math::ceil,
    "math":"fmod"/2 => math::fmod,
}

/// Every BIF entry, in index order.
pub fn table() -> &'static [BifEntry] {
    TABLE
}

fn key(module: &str, name: &str, arity: u8) -> String {
    format!("{module}:{name}/{arity}")
}

fn index() -> &'static HashMap<String, usize> {
    static INDEX: OnceLock<HashMap<String, usize>> = OnceLock::new();
    INDEX.get_or_init(|| {
        TABLE
            .iter()
            .enumerate()
            .map(|(i, e)| (key(e.module, e.name, e.arity), i))
            .collect()
    })
}

/// The index of `module:name/arity` in the table.
pub fn index_of(module: &str, name: &str, arity: usize) -> Option<usize> {
    let arity = u8::try_from(arity).ok()?;
    index().get(&key(module, name, arity)).copied()
}

/// The BIF `module:name/arity`, if the runtime implements it.
pub fn lookup(module: &str, name: &str, arity: usize) -> Option<Bif> {
    index_of(module, name, arity).map(|i| TABLE[i].fun)
}

/// The entry at `index`.
pub fn by_index(index: usize) -> Option<&'static BifEntry> {
    TABLE.get(index)
}

/// Calls the BIF at `index` with `args`, checking the arity.
pub fn call(p: &mut ProcessMemory, index: usize, args: &[Term]) -> Option<BifResult> {
    let e = TABLE.get(index)?;
    (e.arity as usize == args.len()).then(|| (e.fun)(p, args))
}

/// Where [`coral_call_bif`] reports an exception: `class` is a [`Class`]
/// discriminant, `reason` the reason term.
#[repr(C)]
#[derive(Copy, Clone, Debug)]
pub struct ExceptionSlot {
    pub class: u64,
    pub reason: Term,
}

/// The entry point compiled code calls a BIF through: `system_v`, no unwinding.
///
/// Returns the result term, or `NON_VALUE` after writing the exception to
/// `*exc`. An unknown index or an arity mismatch is reported as `badarg`
/// (a loader bug, never a user-visible case), and so is a Rust panic inside
/// a BIF, which must not unwind into compiled frames.
///
/// # Safety
/// `ctx` must be the context of a live process no one else borrows (as
/// `ProcessMemory::context_ptr` gives it), `args` must point at `nargs`
/// valid terms of that process (or be null when `nargs` is 0), and `exc`
/// must be valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_call_bif(
    ctx: *mut ProcessContext,
    index: u32,
    args: *const Term,
    nargs: u32,
    exc: *mut ExceptionSlot,
) -> Term {
    // SAFETY: the caller passes the context of a live, unborrowed process.
    let p = unsafe { ProcessMemory::from_context(ctx) };
    let args: &[Term] = if nargs == 0 {
        &[]
    } else {
        // SAFETY: the caller passes `nargs` valid terms at `args`.
        unsafe { std::slice::from_raw_parts(args, nargs as usize) }
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        call(p, index as usize, args).unwrap_or_else(|| Err(Exception::badarg()))
    }))
    .unwrap_or_else(|_| Err(Exception::badarg()));
    match outcome {
        Ok(t) => t,
        Err(e) => {
            note_failure(index as usize, args);
            // SAFETY: the caller passes a writable slot.
            unsafe {
                *exc = ExceptionSlot {
                    class: e.class as u64,
                    reason: e.reason,
                }
            };
            Term::NON_VALUE
        }
    }
}

/// What the stack trace of the exception a BIF call just raised starts
/// with (see [`take_failure`]).
#[derive(Clone, Debug)]
pub enum Failure {
    /// The BIF itself failed: `{Module, Name, Args, [{error_info, ...}]}`.
    Bif(&'static BifEntry, Vec<Term>),
    /// `erlang:error(Reason, Args)`: the caller's entry shows `Args`.
    Args(Term),
    /// `erlang:raise(Class, Reason, Stacktrace)`: this stack trace.
    Stack(Term),
}

thread_local! {
    static LAST_FAILURE: std::cell::RefCell<Option<Failure>> = const { std::cell::RefCell::new(None) };
}

/// Records how the BIF at `index` failed with `args`. The raising BIFs
/// (`error`, `exit`, `throw`) raise on behalf of their caller: their
/// traces start at the caller, as BEAM's do.
fn note_failure(index: usize, args: &[Term]) {
    let Some(e) = TABLE.get(index) else { return };
    let f = match (e.module, e.name, args) {
        ("erlang", "error", [_, a, ..]) if a.atom_value() != Atom::existing("none") => {
            Some(Failure::Args(*a))
        }
        ("erlang", "raise", [_, _, st]) => Some(Failure::Stack(*st)),
        ("erlang", "error" | "exit" | "throw" | "raise" | "nif_error" | "halt", _) => None,
        _ => Some(Failure::Bif(e, args.to_vec())),
    };
    LAST_FAILURE.with(|l| *l.borrow_mut() = f);
}

/// How the last BIF call on this thread that failed did so, taken: read
/// right after the failing call, while its argument terms are still valid.
pub fn take_failure() -> Option<Failure> {
    LAST_FAILURE.with(|l| l.borrow_mut().take())
}

// ---------------------------------------------------------------------------
// Helpers shared by the BIF modules.

/// The elements of a proper list, or `None` if `t` is not one.
pub(crate) fn list_elements<H: HeapAccess + ?Sized>(heap: &H, t: Term) -> Option<Vec<Term>> {
    // Counted first, so the vector is allocated once.
    let mut n = 0;
    let mut rest = t;
    while let Some((_, tl)) = rest.cons_parts(heap) {
        n += 1;
        rest = tl;
    }
    if !rest.is_nil() {
        return None;
    }
    let mut out = Vec::with_capacity(n);
    let mut rest = t;
    while let Some((h, tl)) = rest.cons_parts(heap) {
        out.push(h);
        rest = tl;
    }
    Some(out)
}

/// A small non-negative integer argument that fits a `usize`.
pub(crate) fn usize_arg(t: Term) -> Option<usize> {
    t.small_value().and_then(|v| usize::try_from(v).ok())
}

/// An encoding argument of the atom/binary conversions: `true` for
/// `latin1`, `false` for `utf8` and `unicode`.
pub(crate) fn latin1_encoding(t: Term) -> Result<bool, Exception> {
    match t.atom_value() {
        Some(atom::LATIN1) => Ok(true),
        Some(atom::UTF8) | Some(atom::UNICODE) => Ok(false),
        _ => Err(Exception::badarg()),
    }
}

/// The string of code points `chars` as an Erlang list.
pub(crate) fn char_list(
    p: &mut ProcessMemory,
    chars: impl DoubleEndedIterator<Item = u32>,
) -> Term {
    let mut l = Term::NIL;
    for c in chars.rev() {
        let ch = Term::small(c as i64).unwrap_or(Term::NIL);
        l = p.cons(ch, l);
    }
    l
}

/// The list of `bytes` as small integers.
pub(crate) fn byte_list(p: &mut ProcessMemory, bytes: &[u8], tail: Term) -> Term {
    let mut l = tail;
    for &b in bytes.iter().rev() {
        l = p.cons(Term::small(b as i64).unwrap_or(Term::NIL), l);
    }
    l
}

/// A bitstring holding the first `bits` bits of `bytes`.
pub(crate) fn make_bitstring(p: &mut ProcessMemory, bytes: &[u8], bits: usize) -> Term {
    let b = p.binary(bytes);
    if bits.is_multiple_of(8) && bits == bytes.len() * 8 {
        b
    } else {
        p.sub_binary(b, 0, bits).unwrap_or(b)
    }
}

/// The bytes of a byte-aligned binary argument (copied out, so the heap can
/// be allocated on afterwards), or `None` if `t` is not a binary.
pub(crate) fn binary_bytes(p: &ProcessMemory, t: Term) -> Option<Vec<u8>> {
    let v = t.bits(p)?;
    if !v.bit_size.is_multiple_of(8) {
        return None;
    }
    match v.as_bytes() {
        Some(b) => Some(b.to_vec()),
        None => Some(v.to_bit_vec().0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_are_unique_and_found() {
        let mut seen = std::collections::HashSet::new();
        for (i, e) in table().iter().enumerate() {
            assert!(seen.insert((e.module, e.name, e.arity)), "duplicate {e:?}");
            assert_eq!(index_of(e.module, e.name, e.arity as usize), Some(i));
        }
        assert!(lookup("erlang", "element", 2).is_some());
        assert!(lookup("erlang", "element", 3).is_none());
        assert!(lookup("erlang", "no_such_bif", 1).is_none());
    }

    #[test]
    fn extern_entry_reports_exceptions() {
        let mut p = ProcessMemory::new();
        let i = index_of("erlang", "hd", 1).unwrap() as u32;
        let mut slot = ExceptionSlot {
            class: 99,
            reason: Term::NIL,
        };
        let ctx = p.context_ptr();
        let arg = [Term::NIL];
        // SAFETY: `ctx` is the live process above; one valid argument.
        let r = unsafe { coral_call_bif(ctx, i, arg.as_ptr(), 1, &mut slot) };
        assert!(r.is_non_value());
        assert_eq!(slot.class, Class::Error as u64);
        assert_eq!(slot.reason, Term::atom(atom::BADARG));
        let l = p.cons(Term::small(7).unwrap(), Term::NIL);
        let ctx = p.context_ptr();
        // SAFETY: as above.
        let r = unsafe { coral_call_bif(ctx, i, [l].as_ptr(), 1, &mut slot) };
        assert_eq!(r, Term::small(7).unwrap());
        // SAFETY: a wrong arity is refused, not called.
        let r = unsafe { coral_call_bif(ctx, i, std::ptr::null(), 0, &mut slot) };
        assert!(r.is_non_value());
    }
}
