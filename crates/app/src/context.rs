//! Template contexts, for the mail templates here and the pages in `lz-web`.
//!
//! minijinja 3's `context!` converts each value with `Value::from`, which takes it by value
//! and only for types minijinja knows. Our records are `serde::Serialize`, and a page builds
//! its context from borrowed fields, so this `context!` keeps minijinja 2's meaning: each
//! value is serialised by reference (`to_value`). The syntax is minijinja's:
//! `context! { title, count => n, ..base }`.

use minijinja::value::Serde;
use minijinja::Value;

/// Any serialisable value as a template value (minijinja 2's `Value::from_serialize`).
pub fn to_value<T: serde::Serialize + ?Sized>(value: &T) -> Value {
    Value::from(Serde(value))
}

#[doc(hidden)]
pub use minijinja as __minijinja;

/// A template context; see the module's documentation.
#[macro_export]
macro_rules! context {
    () => {
        $crate::context::__minijinja::Value::from_pairs(
            ::std::vec::Vec::<(&'static str, $crate::context::__minijinja::Value)>::new(),
        )
    };
    ($($key:ident $(=> $value:expr)?),* $(, .. $ctx:expr)* $(,)?) => {{
        let pairs: ::std::vec::Vec<(&'static str, $crate::context::__minijinja::Value)> =
            ::std::vec![$($crate::__context_pair!($key $(=> $value)?)),*];
        let ctx = $crate::context::__minijinja::Value::from_pairs(pairs);
        let merge: ::std::vec::Vec<$crate::context::__minijinja::Value> =
            ::std::vec![$($crate::context::__minijinja::Value::from($ctx)),*];
        if merge.is_empty() {
            ctx
        } else {
            // As minijinja's: the context's own keys win, then the first merged map's.
            $crate::context::__minijinja::value::merge_maps(
                merge.into_iter().rev().chain(::std::iter::once(ctx)),
            )
        }
    }};
    ($(.. $ctx:expr),* $(,)?) => {
        $crate::context::__minijinja::value::merge_maps(
            ::std::vec![$($crate::context::__minijinja::Value::from($ctx)),*]
                .into_iter()
                .rev(),
        )
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __context_pair {
    ($key:ident) => {
        (stringify!($key), $crate::context::to_value(&$key))
    };
    ($key:ident => $value:expr) => {
        (stringify!($key), $crate::context::to_value(&$value))
    };
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    #[derive(Serialize)]
    struct Record {
        name: String,
    }

    #[test]
    fn values_are_serialised_by_reference_and_merges_keep_own_keys_first() {
        let r = Record {
            name: "Beth".into(),
        };
        let title = String::from("Hello");
        let base = crate::context! { title => "base", extra => 1 };
        let ctx = crate::context! { title, record => r, ..base };
        // `r` and `title` were borrowed, not moved.
        assert_eq!(r.name, "Beth");
        assert_eq!(title, "Hello");
        let env = minijinja::Environment::new();
        let out = env
            .render_str("{{ title }} {{ record.name }} {{ extra }}", ctx)
            .expect("renders");
        assert_eq!(out, "Hello Beth 1");
    }
}
