//! A handful of line icons, drawn inline so they need no font or file.

use leptos::prelude::*;

/// The icons the UI uses.
#[derive(Clone, Copy)]
pub enum Icon {
    Wallet,
    Calendar,
    Scan,
    People,
    Swap,
    Plus,
    Edit,
    Qr,
    Back,
    Globe,
    Camera,
    Save,
    Open,
    Review,
    Gear,
    Copy,
    Share,
    Search,
    Leave,
    Archive,
    Expand,
    Print,
}

fn shapes(icon: Icon) -> &'static str {
    match icon {
        Icon::Wallet => "<rect x='3' y='6' width='18' height='13' rx='2'/><path d='M3 10h18'/><circle cx='16.5' cy='14.5' r='1.5'/>",
        Icon::Calendar => "<rect x='3' y='5' width='18' height='16' rx='2'/><path d='M3 10h18M8 3v4M16 3v4'/>",
        Icon::Scan => "<path d='M4 8V5a1 1 0 0 1 1-1h3M16 4h3a1 1 0 0 1 1 1v3M20 16v3a1 1 0 0 1-1 1h-3M8 20H5a1 1 0 0 1-1-1v-3M4 12h16'/>",
        Icon::People => "<circle cx='9' cy='8' r='3'/><path d='M3 20c0-3.3 2.7-6 6-6s6 2.7 6 6'/><circle cx='17' cy='9' r='2.5'/><path d='M16 14.2c2.9.4 5 2.8 5 5.8'/>",
        Icon::Swap => "<path d='M4 8h14l-4-4M20 16H6l4 4'/>",
        Icon::Plus => "<path d='M12 5v14M5 12h14'/>",
        Icon::Edit => "<path d='M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4'/>",
        Icon::Qr => "<rect x='4' y='4' width='6' height='6'/><rect x='14' y='4' width='6' height='6'/><rect x='4' y='14' width='6' height='6'/><path d='M14 14h2v2h-2zM18 18h2v2h-2zM14 18h2M18 14h2'/>",
        Icon::Back => "<path d='M15 5l-7 7 7 7'/>",
        Icon::Globe => "<circle cx='12' cy='12' r='9'/><path d='M3 12h18M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9c-2.5-2.6-3.8-5.6-3.8-9S9.5 5.6 12 3z'/>",
        Icon::Camera => "<path d='M4 8h3l2-3h6l2 3h3v11H4z'/><circle cx='12' cy='13' r='3.5'/>",
        Icon::Save => "<path d='M12 4v11M7 10l5 5 5-5M5 20h14'/>",
        Icon::Open => "<path d='M12 20V9M7 14l5-5 5 5M5 4h14'/>",
        Icon::Review => "<rect x='5' y='4' width='14' height='17' rx='2'/><path d='M9 4h6v3H9zM8.5 13.5l2.5 2.5 4.5-5'/>",
        Icon::Gear => "<circle cx='12' cy='12' r='3'/><path d='M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1'/>",
        Icon::Copy => "<rect x='8' y='8' width='12' height='12' rx='2'/><path d='M4 16V5a1 1 0 0 1 1-1h11'/>",
        Icon::Share => "<circle cx='6' cy='12' r='2.5'/><circle cx='18' cy='6' r='2.5'/><circle cx='18' cy='18' r='2.5'/><path d='M8.2 10.8l7.6-3.6M8.2 13.2l7.6 3.6'/>",
        Icon::Search => "<circle cx='11' cy='11' r='6'/><path d='M20 20l-4.5-4.5'/>",
        Icon::Leave => "<path d='M10 4H5v16h5M14 8l4 4-4 4M18 12H9'/>",
        Icon::Archive => "<rect x='3' y='4' width='18' height='5' rx='1'/><path d='M5 9v10h14V9M10 13h4'/>",
        Icon::Expand => "<path d='M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5'/>",
        Icon::Print => "<path d='M6 9V3h12v6'/><rect x='3' y='9' width='18' height='8' rx='2'/><path d='M6 14h12v7H6z'/>",
    }
}

/// An icon; decorative, so hidden from screen readers (the label says it).
#[component]
pub fn Ico(icon: Icon) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" inner_html=shapes(icon)></svg>
    }
}
