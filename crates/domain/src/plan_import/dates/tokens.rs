//! Tokens: words, numbers and separators of a dates cell.

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Word(String),
    Num { value: u32, digits: usize },
    Punct(char),
    Break,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) tok: Tok,
    /// The word began with a capital letter.
    pub(super) caps: bool,
    /// Whitespace came before it ("July2026" has none between the month and the year).
    pub(super) space_before: bool,
}

pub(super) fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut space = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            out.push(Token {
                tok: Tok::Break,
                caps: false,
                space_before: space,
            });
            space = true;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        let (tok, caps) = if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            (Tok::Word(word.to_lowercase()), c.is_uppercase())
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits = i - start;
            let value = if digits > 9 {
                u32::MAX
            } else {
                chars[start..i]
                    .iter()
                    .fold(0u32, |v, d| v * 10 + d.to_digit(10).unwrap_or(0))
            };
            (Tok::Num { value, digits }, false)
        } else {
            i += 1;
            let p = if is_dash(c) {
                '-'
            } else if matches!(c, '’' | '‘' | '\'') {
                '\''
            } else {
                c
            };
            (Tok::Punct(p), false)
        };
        out.push(Token {
            tok,
            caps,
            space_before: space,
        });
        space = false;
    }
    out
}
