//! The object-file driver: compiles modules with cranelift-object into one
//! relocatable object holding the program's code, a C `main`, and the data
//! the runtime needs to rebuild at startup what the JIT makes in place.
//!
//! What the JIT embeds as addresses, the object reaches through data:
//!
//! - literals and fun entries: words loaded from a writable *slot table*
//!   that `coral_aot_main` fills in before any compiled code runs;
//! - export-table words: slots too, whose address the code takes;
//! - atoms: immediates, computed for an atom table holding the runtime's
//!   predefined atoms then this program's atoms in a fixed order, which
//!   startup reproduces (and checks);
//! - code addresses the runtime needs (frame descriptors, fun entries,
//!   exports, the entry): a *code table* of words the linker fills in.
//!
//! The description of it all is a [`NativeImage`] stored as bytes; the
//! *program table* holds the magic and where the image, code table and slot
//! table are, and `main` hands it to `coral_aot_main` with `argc`/`argv`.

use crate::{CodegenError, Target, Word, abi};
use coral_ir as ir;
use coral_runtime::atom::{self, Atom};
use coral_runtime::heap::ProcessMemory;
use coral_runtime::jit_support::{
    IMAGE_MAGIC, ImageExport, ImageFrame, ImageFun, ImageLiterals, ImageLocation, ImageModule,
    NativeImage, PROGRAM_WORDS,
};
use cranelift_codegen::ir::{AbiParam, InstBuilder, Signature, types};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module};
use cranelift_object::{ObjectBuilder, ObjectModule};
use std::collections::HashMap;

/// The system libraries a Rust static library needs on this platform, as
/// `rustc --print native-static-libs` lists them for the runtime: what an
/// object file from this module is linked with, beside the runtime library.
#[cfg(target_os = "linux")]
pub const NATIVE_LIBS: &[&str] = &[
    "-lgcc_s",
    "-lutil",
    "-lrt",
    "-lpthread",
    "-lm",
    "-ldl",
    "-lc",
];
#[cfg(target_os = "macos")]
pub const NATIVE_LIBS: &[&str] = &["-lSystem", "-lc", "-lm"];
#[cfg(not(any(target_os = "linux", target_os = "macos")))]
pub const NATIVE_LIBS: &[&str] = &["-lpthread", "-lm", "-lc"];

/// Which function a native executable runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub module: String,
    pub function: String,
    /// The arities it has among 0 and 1: the executable runs `function/1`
    /// with the command-line arguments when some are given or when there is
    /// no `function/0`, else `function/0`.
    pub arities: Vec<u32>,
}

/// The object driver's answers to [`Target`].
struct ObjectTarget {
    slots_id: DataId,
    /// Slots handed out so far.
    slots: u32,
    /// Per module: its name, file, function (name, arity, env) and first
    /// literal slot.
    modules: Vec<ObjModule>,
    /// Atoms beyond the predefined ones, in the order their indices assume.
    atoms: Vec<String>,
    atom_index: HashMap<String, u32>,
    locations: Vec<ImageLocation>,
    location_ids: HashMap<(usize, u32, Option<u32>), u32>,
    funs: HashMap<(usize, u32), ImageFun>,
    exports: HashMap<(String, String, u32), u32>,
}

struct ObjModule {
    name: String,
    file: Option<String>,
    functions: Vec<(String, u32, u32)>,
    first_literal: u32,
}

impl ObjectTarget {
    fn new(modules: &[ir::Module], slots_id: DataId) -> ObjectTarget {
        let mut slots = 0;
        let mods = modules
            .iter()
            .map(|m| {
                let first_literal = slots;
                slots += m.literals.len() as u32;
                ObjModule {
                    name: m.name.to_string(),
                    file: m.file.clone(),
                    functions: m
                        .functions
                        .iter()
                        .map(|f| (f.name.to_string(), f.arity, f.env_len))
                        .collect(),
                    first_literal,
                }
            })
            .collect();
        ObjectTarget {
            slots_id,
            slots,
            modules: mods,
            atoms: Vec::new(),
            atom_index: HashMap::new(),
            locations: Vec::new(),
            location_ids: HashMap::new(),
            funs: HashMap::new(),
            exports: HashMap::new(),
        }
    }

    fn new_slot(&mut self) -> u32 {
        self.slots += 1;
        self.slots - 1
    }

    fn slot_offset(slot: u32) -> Result<i32, CodegenError> {
        i32::try_from(slot as u64 * 8).map_err(|_| CodegenError::new("too many slots"))
    }

    fn export(&mut self, module: &str, name: &str, arity: u32) -> u32 {
        let key = (module.to_string(), name.to_string(), arity);
        if let Some(&s) = self.exports.get(&key) {
            return s;
        }
        let s = self.new_slot();
        self.exports.insert(key, s);
        s
    }
}

impl Target for ObjectTarget {
    fn literal(&mut self, module: usize, lit: ir::LitId) -> Word {
        let slot = self.modules[module].first_literal + lit.0;
        // Slot offsets fit: `compile` checks the table's size at the end.
        Word::Load(self.slots_id, (slot as i64 * 8) as i32)
    }

    fn atom(&mut self, name: &str) -> Result<u64, CodegenError> {
        let index = match Atom::existing(name) {
            Some(a) if (a.index() as usize) < atom::predefined_count() => a.index(),
            _ => match self.atom_index.get(name) {
                Some(&i) => i,
                None => {
                    if name.chars().count() > atom::MAX_ATOM_CHARACTERS {
                        return Err(CodegenError::new(format!("atom {name:?} is too long")));
                    }
                    let i = (atom::predefined_count() + self.atoms.len()) as u32;
                    self.atoms.push(name.to_string());
                    self.atom_index.insert(name.to_string(), i);
                    i
                }
            },
        };
        Ok(coral_runtime::term::Term::atom(Atom::from_index(index)).raw())
    }

    fn location(&mut self, module: usize, func: ir::FuncId, line: Option<u32>) -> u32 {
        if let Some(&l) = self.location_ids.get(&(module, func.0, line)) {
            return l;
        }
        let m = &self.modules[module];
        let (name, arity, _) = &m.functions[func.0 as usize];
        let id = self.locations.len() as u32;
        self.locations.push(ImageLocation {
            module: m.name.clone(),
            function: name.clone(),
            arity: *arity,
            file: m.file.clone(),
            line: line.unwrap_or(0),
        });
        self.location_ids.insert((module, func.0, line), id);
        id
    }

    fn fun_entry(&mut self, module: usize, func: ir::FuncId) -> Word {
        let key = (module, func.0);
        let slot = match self.funs.get(&key) {
            Some(f) => f.slot,
            None => {
                let index = self.funs.keys().filter(|k| k.0 == module).count() as u32;
                let slot = self.new_slot();
                let m = &self.modules[module];
                let (name, arity, env) = &m.functions[func.0 as usize];
                self.funs.insert(
                    key,
                    ImageFun {
                        slot,
                        module: m.name.clone(),
                        function: name.clone(),
                        arity: *arity,
                        num_free: *env,
                        index,
                        code: None,
                    },
                );
                slot
            }
        };
        Word::Load(self.slots_id, (slot as i64 * 8) as i32)
    }

    fn export_slot(&mut self, module: &str, name: &str, arity: u32) -> Word {
        let slot = self.export(module, name, arity);
        Word::Addr(self.slots_id, (slot as i64 * 8) as i32)
    }
}

/// Code addresses the runtime needs, as indices into the code table.
#[derive(Default)]
struct CodeTable {
    funcs: Vec<FuncId>,
    index: HashMap<FuncId, u32>,
}

impl CodeTable {
    fn add(&mut self, f: FuncId) -> u32 {
        *self.index.entry(f).or_insert_with(|| {
            self.funcs.push(f);
            (self.funcs.len() - 1) as u32
        })
    }
}

/// Cranelift's flags for object code: those of the JIT, position
/// independent (executables are linked as PIE by default).
fn new_module(name: &str) -> Result<ObjectModule, CodegenError> {
    let mut flags = settings::builder();
    for (k, v) in crate::jit::flags().iter().chain(&[("is_pic", "true")]) {
        flags
            .set(k, v)
            .map_err(|e| CodegenError::new(format!("cranelift setting {k}: {e}")))?;
    }
    // The baseline of the host architecture, not this machine's extensions:
    // the executable may run on another machine.
    let isa = cranelift_native::builder_with_options(false)
        .map_err(|e| CodegenError::new(format!("no code generator for this machine: {e}")))?
        .finish(settings::Flags::new(flags))
        .map_err(|e| CodegenError::new(format!("cranelift: {e}")))?;
    let builder = ObjectBuilder::new(isa, name, cranelift_module::default_libcall_names())?;
    Ok(ObjectModule::new(builder))
}

/// The literals of `m` as one external-term-format list.
fn literal_etf(m: &ir::Module) -> Result<Vec<u8>, CodegenError> {
    let mut tmp = ProcessMemory::new();
    let roots = m
        .literals
        .iter()
        .map(|t| crate::jit::build_term(&mut tmp, t))
        .collect::<Result<Vec<_>, _>>()?;
    let list = tmp.list(&roots, coral_runtime::term::Term::NIL);
    Ok(coral_runtime::etf::term_to_binary(list, &*tmp))
}

/// Defines read-only or writable data `id` as `bytes` (with relocations
/// added by `relocs`).
fn define_data(
    module: &mut ObjectModule,
    id: DataId,
    bytes: Vec<u8>,
    relocs: impl FnOnce(&mut ObjectModule, &mut DataDescription),
) -> Result<(), CodegenError> {
    let mut d = DataDescription::new();
    d.define(bytes.into_boxed_slice());
    d.set_align(8);
    relocs(module, &mut d);
    module.define_data(id, &d)?;
    Ok(())
}

/// Compiles `modules` into the bytes of one relocatable object file whose
/// `main` runs `entry`.
pub fn compile(modules: &[ir::Module], entry: &Entry) -> Result<Vec<u8>, CodegenError> {
    let modules = &crate::with_bif_exports(modules)?;
    let mut module = new_module(&entry.module)?;
    let slots_id = module.declare_data("coral$slots", Linkage::Local, true, false)?;
    let mut target = ObjectTarget::new(modules, slots_id);
    let compiled = crate::compile(&mut module, modules, &mut target, false)?;

    if entry.arities.is_empty() || entry.arities.iter().any(|&a| a >= 32) {
        return Err(CodegenError::new(format!(
            "{}:{}: no arity to start it with below 32",
            entry.module, entry.function
        )));
    }
    for &arity in &entry.arities {
        let key = (entry.module.clone(), entry.function.clone(), arity);
        if !compiled.entries.contains_key(&key) {
            return Err(CodegenError::new(format!(
                "no function {}:{}/{arity} to start",
                entry.module, entry.function
            )));
        }
        let exported = modules.iter().any(|m| {
            *m.name == *entry.module
                && m.exports
                    .iter()
                    .any(|(n, a)| **n == *entry.function && *a == arity)
        });
        if !exported {
            return Err(CodegenError::new(format!(
                "{}:{}/{arity} is not exported; the entry function must be",
                entry.module, entry.function
            )));
        }
    }
    let apply = compiled
        .apply
        .ok_or_else(|| CodegenError::new("no apply continuation"))?;
    let spawn = compiled
        .spawn
        .ok_or_else(|| CodegenError::new("no spawn continuation"))?;
    let done = compiled
        .done
        .ok_or_else(|| CodegenError::new("no bottom continuation"))?;
    let trampoline = compiled
        .trampoline
        .ok_or_else(|| CodegenError::new("no trampoline"))?;

    let mut code = CodeTable::default();
    let mut image = NativeImage {
        done: code.add(done),
        trampoline: code.add(trampoline),
        max_x: compiled.max_x as u32,
        entry_module: entry.module.clone(),
        entry_function: entry.function.clone(),
        entry_arities: entry.arities.iter().fold(0, |m, &a| m | 1 << a),
        apply: code.add(apply),
        spawn: code.add(spawn),
        ..NativeImage::default()
    };
    for f in &compiled.frames {
        image.frames.push(ImageFrame {
            code: code.add(f.func),
            size: f.size,
            live: f.live.clone(),
            catches: f.catches.clone(),
            location: f.location,
        });
    }
    for &(mi, fid, stub) in &compiled.closure_stubs {
        if let Some(f) = target.funs.get_mut(&(mi, fid.0)) {
            f.code = Some(code.add(stub));
        }
    }
    // Every exported function gets an export word, so `apply` finds it too.
    for m in modules {
        for (name, arity) in &m.exports {
            target.export(&m.name, name, *arity);
        }
    }
    let mut exports: Vec<_> = target.exports.iter().collect();
    exports.sort_by_key(|(_, s)| **s);
    for ((m, f, a), &slot) in exports {
        let defined = modules
            .iter()
            .any(|md| *md.name == **m && md.exports.iter().any(|(n, ar)| **n == **f && ar == a));
        let id = compiled.entries.get(&(m.clone(), f.clone(), *a));
        image.exports.push(ImageExport {
            slot,
            module: m.clone(),
            function: f.clone(),
            arity: *a,
            code: match id {
                Some(&id) if defined => Some(code.add(id)),
                _ => None,
            },
        });
    }
    let mut funs: Vec<ImageFun> = target.funs.values().cloned().collect();
    funs.sort_by_key(|f| f.slot);
    image.funs = funs;
    for m in modules {
        let (exports, attributes) = crate::module_info(m)?;
        image.modules.push(ImageModule {
            name: m.name.to_string(),
            exports,
            functions: crate::module_functions(m),
            attributes,
        });
    }
    for (mi, m) in modules.iter().enumerate() {
        image.literals.push(ImageLiterals {
            first_slot: target.modules[mi].first_literal,
            count: m.literals.len() as u32,
            etf: literal_etf(m)?,
        });
    }
    image.locations = std::mem::take(&mut target.locations);
    image.atoms = std::mem::take(&mut target.atoms);
    ObjectTarget::slot_offset(target.slots)?;

    // The data: slots, image, code table, program table.
    let mut slot_data = DataDescription::new();
    slot_data.define_zeroinit((target.slots as usize * 8).max(8));
    slot_data.set_align(8);
    module.define_data(slots_id, &slot_data)?;
    let image_bytes = image.encode();
    let image_len = image_bytes.len();
    let image_id = module.declare_data("coral$image", Linkage::Local, false, false)?;
    define_data(&mut module, image_id, image_bytes, |_, _| {})?;
    let code_id = module.declare_data("coral$code", Linkage::Local, false, false)?;
    let funcs = code.funcs.clone();
    define_data(
        &mut module,
        code_id,
        vec![0; funcs.len().max(1) * 8],
        |module, d| {
            for (i, &f) in funcs.iter().enumerate() {
                let r = module.declare_func_in_data(f, d);
                d.write_function_addr((i * 8) as u32, r);
            }
        },
    )?;
    let program_id = module.declare_data("coral$program", Linkage::Local, false, false)?;
    let mut words = [0u64; PROGRAM_WORDS];
    words[0] = IMAGE_MAGIC;
    words[2] = image_len as u64;
    words[4] = funcs.len() as u64;
    words[6] = target.slots as u64;
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    define_data(&mut module, program_id, bytes, |module, d| {
        for (offset, id) in [(8, image_id), (24, code_id), (40, slots_id)] {
            let gv = module.declare_data_in_data(id, d);
            d.write_data_addr(offset, gv, 0);
        }
    })?;
    define_main(&mut module, program_id)?;

    let product = module.finish();
    product
        .emit()
        .map_err(|e| CodegenError::new(format!("writing the object file: {e}")))
}

/// `int main(int argc, char **argv)`: `return coral_aot_main(argc, argv,
/// &program);`.
fn define_main(module: &mut ObjectModule, program: DataId) -> Result<(), CodegenError> {
    let native = module.isa().default_call_conv();
    let mut sig = Signature::new(native);
    sig.params.push(AbiParam::new(types::I32));
    sig.params.push(AbiParam::new(abi::WORD));
    sig.returns.push(AbiParam::new(types::I32));
    let mut rt_sig = sig.clone();
    rt_sig.params.push(AbiParam::new(abi::WORD));
    let main = module.declare_function("main", Linkage::Export, &sig)?;
    let rt = module.declare_function("coral_aot_main", Linkage::Import, &rt_sig)?;
    let mut ctx = module.make_context();
    ctx.func.signature = sig;
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
    let blk = b.create_block();
    b.append_block_params_for_function_params(blk);
    b.switch_to_block(blk);
    let argc = b.block_params(blk)[0];
    let argv = b.block_params(blk)[1];
    let gv = module.declare_data_in_func(program, b.func);
    let table = b.ins().symbol_value(abi::WORD, gv);
    let f = module.declare_func_in_func(rt, b.func);
    let call = b.ins().call(f, &[argc, argv, table]);
    let status = b.inst_results(call)[0];
    b.ins().return_(&[status]);
    b.seal_all_blocks();
    b.finalize(module.isa().frontend_config());
    module
        .define_function(main, &mut ctx)
        .map_err(|e| CodegenError::new(format!("cranelift rejected main: {e:?}")))?;
    Ok(())
}
