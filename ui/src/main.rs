//! Nabo's UI: a Leptos app rendered in the browser engine of the Tauri
//! window. It talks to the engine only through [`api`]. One module per
//! capability, each with its screens; their texts are in
//! `locales/<lang>/<capability>.ftl`.

mod api;
mod app;
mod components;
mod i18n;
mod icons;
mod nav;

mod activities;
mod budget;
mod cards;
mod community;
mod exchange;
mod hours;
mod members;
mod payments;
mod pool;
mod review;
mod rewards;
mod rounds;
mod rules;
mod settings;
mod sync;
mod together;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
