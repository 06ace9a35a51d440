//! Nabo's UI: a Leptos app rendered in the browser engine of the Tauri
//! window. It talks to the engine only through [`api`].

mod api;
mod app;
mod i18n;
mod icons;
mod screens;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
