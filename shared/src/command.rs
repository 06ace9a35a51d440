//! How a command is declared: its argument type is the command, with its
//! name on the wire and its reply. Every capability declares its own with
//! [`commands!`](crate::commands!); the UI's client sends them and the
//! engine's handlers serve them.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A command the UI sends and the engine serves. The type is the command's
/// arguments (a unit struct when there are none); the UI sends it as the
/// `args` field of the request, or, when [`Command::RAW`], sends file bytes
/// as the raw request body instead.
pub trait Command: Serialize + DeserializeOwned {
    /// The name the handler is registered under.
    const NAME: &'static str;
    /// Whether the request body is raw file bytes rather than JSON arguments.
    const RAW: bool;
    /// What a successful call returns.
    type Reply: Serialize + DeserializeOwned;
}

/// The JSON key a command's arguments travel under.
pub const ARGS: &str = "args";

/// Declares a capability's commands in one place: each argument type, its
/// name on the wire and its reply (`raw` for commands whose body is file
/// bytes), and the capability's `COMMANDS` list from the same lines.
#[macro_export]
macro_rules! commands {
    ($($args:ident => $name:literal $(, $raw:ident)? -> $reply:ty;)+) => {
        $(impl $crate::command::Command for $args {
            const NAME: &'static str = $name;
            const RAW: bool = $crate::commands!(@raw $($raw)?);
            type Reply = $reply;
        })+
        /// The names of this capability's commands.
        pub const COMMANDS: &[&str] = &[$($name),+];
    };
    (@raw raw) => { true };
    (@raw) => { false };
}
