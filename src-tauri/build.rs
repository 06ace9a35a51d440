fn main() {
    // The embedded UI: rebuild the app whenever scripts/build-ui.sh replaces it.
    println!("cargo:rerun-if-changed=../ui/dist");
    // The one app config lives at the workspace root.
    tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
        .expect("tauri build step failed");
}
