//! Formulas over metric codes, as in catalog.toml and consortium.toml:
//! `(surgeries_grade3 + surgeries_grade4) / discharges * 100`. Parsed into an AST (never
//! evaluated as code), checked against the catalog, then turned into polars expressions.
//! Comparisons (`remote_imaging <= outpatient_visits`) are accepted for rules.

use crate::catalog::Catalog;
use crate::i18n::{Msg, Text};
use crate::said;
use std::collections::BTreeSet;
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Ast {
    Num(f64),
    Var(String),
    Neg(Box<Ast>),
    Bin(Op, Box<Ast>, Box<Ast>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FormulaError {
    pub formula: String,
    /// Characters before the one at fault (0-based).
    pub position: usize,
    pub message: Text,
}

impl FormulaError {
    /// What a user reads, in either language (`Display` is its English).
    pub fn text(&self) -> Text {
        said!(
            Msg::FormulaAt,
            formula = self.formula,
            at = self.position + 1,
            why => self.message.clone()
        )
    }
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.text().fmt(f)
    }
}

impl std::error::Error for FormulaError {}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Op(&'static str),
    LParen,
    RParen,
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, FormulaError> {
    let err = |pos, message: Text| FormulaError {
        formula: src.to_string(),
        position: pos,
        message,
    };
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let cpos = src[..pos].chars().count();
        match c {
            ' ' | '\t' | '\n' => i += 1,
            '(' => {
                out.push((cpos, Tok::LParen));
                i += 1;
            }
            ')' => {
                out.push((cpos, Tok::RParen));
                i += 1;
            }
            '+' | '-' | '*' | '/' => {
                out.push((
                    cpos,
                    Tok::Op(match c {
                        '+' => "+",
                        '-' => "-",
                        '*' => "*",
                        _ => "/",
                    }),
                ));
                i += 1;
            }
            '<' | '>' | '=' | '!' => {
                let next = chars.get(i + 1).map(|x| x.1);
                let op = match (c, next) {
                    ('<', Some('=')) => "<=",
                    ('>', Some('=')) => ">=",
                    ('=', Some('=')) => "==",
                    ('!', Some('=')) => "!=",
                    ('<', _) => "<",
                    ('>', _) => ">",
                    _ => return Err(err(cpos, said!(Msg::FormulaBadComparison, c = c))),
                };
                i += op.len();
                out.push((cpos, Tok::Op(op)));
            }
            c if c.is_ascii_digit() || c == '.' => {
                let start = i;
                while i < chars.len() && (chars[i].1.is_ascii_digit() || chars[i].1 == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().map(|x| x.1).collect();
                let v: f64 = text
                    .parse()
                    .map_err(|_| err(cpos, said!(Msg::FormulaNotNumber, text = text)))?;
                out.push((cpos, Tok::Num(v)));
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].1.is_ascii_alphanumeric() || chars[i].1 == '_') {
                    i += 1;
                }
                out.push((
                    cpos,
                    Tok::Ident(chars[start..i].iter().map(|x| x.1).collect()),
                ));
            }
            other => return Err(err(cpos, said!(Msg::FormulaUnexpected, c = other))),
        }
    }
    Ok(out)
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<(usize, Tok)>,
    i: usize,
}

impl Parser<'_> {
    fn err(&self, message: Msg) -> FormulaError {
        let position = self
            .toks
            .get(self.i)
            .map(|t| t.0)
            .unwrap_or_else(|| self.src.chars().count());
        FormulaError {
            formula: self.src.to_string(),
            position,
            message: said!(message),
        }
    }
    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.i) {
            Some((_, Tok::Op(o))) => Some(o),
            _ => None,
        }
    }
    fn comparison(&mut self) -> Result<Ast, FormulaError> {
        let left = self.sum()?;
        if let Some(op) = self.peek_op() {
            let op = match op {
                "<" => Op::Lt,
                "<=" => Op::Le,
                ">" => Op::Gt,
                ">=" => Op::Ge,
                "==" => Op::Eq,
                "!=" => Op::Ne,
                _ => return Ok(left),
            };
            self.i += 1;
            let right = self.sum()?;
            return Ok(Ast::Bin(op, Box::new(left), Box::new(right)));
        }
        Ok(left)
    }
    fn sum(&mut self) -> Result<Ast, FormulaError> {
        let mut left = self.product()?;
        while let Some(op @ ("+" | "-")) = self.peek_op() {
            self.i += 1;
            let right = self.product()?;
            left = Ast::Bin(
                if op == "+" { Op::Add } else { Op::Sub },
                Box::new(left),
                Box::new(right),
            );
        }
        Ok(left)
    }
    fn product(&mut self) -> Result<Ast, FormulaError> {
        let mut left = self.unary()?;
        while let Some(op @ ("*" | "/")) = self.peek_op() {
            self.i += 1;
            let right = self.unary()?;
            left = Ast::Bin(
                if op == "*" { Op::Mul } else { Op::Div },
                Box::new(left),
                Box::new(right),
            );
        }
        Ok(left)
    }
    fn unary(&mut self) -> Result<Ast, FormulaError> {
        if self.peek_op() == Some("-") {
            self.i += 1;
            return Ok(Ast::Neg(Box::new(self.unary()?)));
        }
        self.atom()
    }
    fn atom(&mut self) -> Result<Ast, FormulaError> {
        match self.toks.get(self.i).cloned() {
            Some((_, Tok::Num(v))) => {
                self.i += 1;
                Ok(Ast::Num(v))
            }
            Some((_, Tok::Ident(name))) => {
                self.i += 1;
                Ok(Ast::Var(name))
            }
            Some((_, Tok::LParen)) => {
                self.i += 1;
                let inner = self.sum()?;
                match self.toks.get(self.i) {
                    Some((_, Tok::RParen)) => {
                        self.i += 1;
                        Ok(inner)
                    }
                    _ => Err(self.err(Msg::FormulaMissingParen)),
                }
            }
            Some(_) => Err(self.err(Msg::FormulaExpected)),
            None if self.toks.is_empty() => Err(self.err(Msg::FormulaEmpty)),
            None => Err(self.err(Msg::FormulaEndsEarly)),
        }
    }
}

pub fn parse(src: &str) -> Result<Ast, FormulaError> {
    let toks = lex(src)?;
    let mut p = Parser { src, toks, i: 0 };
    let ast = p.comparison()?;
    match p.toks.get(p.i) {
        Some((_, Tok::RParen)) => return Err(p.err(Msg::FormulaExtraParen)),
        Some(_) => return Err(p.err(Msg::FormulaTrailing)),
        None => {}
    }
    Ok(ast)
}

impl Ast {
    pub fn vars(&self, out: &mut BTreeSet<String>) {
        match self {
            Ast::Num(_) => {}
            Ast::Var(v) => {
                out.insert(v.clone());
            }
            Ast::Neg(a) => a.vars(out),
            Ast::Bin(_, a, b) => {
                a.vars(out);
                b.vars(out);
            }
        }
    }
    pub fn is_comparison(&self) -> bool {
        matches!(
            self,
            Ast::Bin(Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::Eq | Op::Ne, _, _)
        )
    }
}

/// Parses a formula and replaces references to other indicators by their own formulas, so
/// the result mentions base metric codes (and the built-ins of `BUILTINS`) only. Unknown codes are errors that suggest the closest code.
pub fn resolve(src: &str, catalog: &Catalog) -> Result<Ast, FormulaError> {
    resolve_inner(src, catalog, &mut Vec::new())
}

/// Quantities the engine provides itself: the average open beds, the primary members' shares
/// (tier and consortium only) and `days`, the calendar days of the window.
pub const BUILTINS: &[&str] = &[
    "avg_open_beds",
    "primary_visit_share",
    "primary_total_visit_share",
    "days",
];

fn resolve_inner(
    src: &str,
    catalog: &Catalog,
    stack: &mut Vec<String>,
) -> Result<Ast, FormulaError> {
    let ast = parse(src)?;
    let mut vars = BTreeSet::new();
    ast.vars(&mut vars);
    let mut out = ast;
    for v in vars {
        if catalog.metric(&v).is_some() || BUILTINS.contains(&v.as_str()) {
            continue;
        }
        let Some(ind) = catalog.indicators.iter().find(|i| i.code == v) else {
            let position = src.find(&v).map(|b| src[..b].chars().count()).unwrap_or(0);
            let message = match catalog.suggest(&v) {
                Some(c) => said!(Msg::FormulaUnknownSuggest, code = v, close = c),
                None => said!(Msg::FormulaUnknown, code = v),
            };
            return Err(FormulaError {
                formula: src.to_string(),
                position,
                message,
            });
        };
        if stack.contains(&v) {
            return Err(FormulaError {
                formula: src.to_string(),
                position: 0,
                message: said!(Msg::FormulaSelfRef, code = v),
            });
        }
        stack.push(v.clone());
        let sub = resolve_inner(&ind.expr, catalog, stack)?;
        stack.pop();
        out = substitute(out, &v, &sub);
    }
    Ok(out)
}

fn substitute(ast: Ast, name: &str, with: &Ast) -> Ast {
    match ast {
        Ast::Var(v) if v == name => with.clone(),
        Ast::Neg(a) => Ast::Neg(Box::new(substitute(*a, name, with))),
        Ast::Bin(op, a, b) => Ast::Bin(
            op,
            Box::new(substitute(*a, name, with)),
            Box::new(substitute(*b, name, with)),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_parentheses() {
        let a = parse("(a + b) / c * 100").unwrap();
        assert_eq!(
            a,
            Ast::Bin(
                Op::Mul,
                Box::new(Ast::Bin(
                    Op::Div,
                    Box::new(Ast::Bin(
                        Op::Add,
                        Box::new(Ast::Var("a".into())),
                        Box::new(Ast::Var("b".into()))
                    )),
                    Box::new(Ast::Var("c".into()))
                )),
                Box::new(Ast::Num(100.0))
            )
        );
        assert!(parse("a <= b").unwrap().is_comparison());
        assert_eq!(
            parse("-a").unwrap(),
            Ast::Neg(Box::new(Ast::Var("a".into())))
        );
    }

    #[test]
    fn syntax_errors_say_where() {
        let e = parse("(a + b / c").unwrap_err();
        assert!(e.message.contains("missing `)`"), "{e}");
        let e = parse("a + * b").unwrap_err();
        assert_eq!(e.position, 4, "{e}");
        let e = parse("a ; b").unwrap_err();
        assert!(e.to_string().contains("unexpected `;`"), "{e}");
        assert!(parse("").is_err());
        assert!(parse("a b").unwrap_err().message.contains("after the end"));
    }

    #[test]
    fn syntax_errors_are_said_in_chinese() {
        use crate::i18n::Lang;
        let zh = |src: &str| parse(src).unwrap_err().text().in_lang(Lang::Zh);
        assert_eq!(
            zh("(a + b"),
            "公式“(a + b”第 7 个字符处：括号不配对：缺少右括号“)”"
        );
        assert_eq!(
            zh("a + b)"),
            "公式“a + b)”第 6 个字符处：括号不配对：多了一个右括号“)”"
        );
        assert_eq!(
            zh("a b"),
            "公式“a b”第 3 个字符处：公式在此之前已经完整，后面多出内容（是否漏了运算符？）"
        );
        assert_eq!(
            zh("a + "),
            "公式“a + ”第 5 个字符处：公式不完整，在此处提前结束"
        );
        assert_eq!(zh("  "), "公式“  ”第 3 个字符处：公式为空");
        assert_eq!(
            zh("a = b"),
            "公式“a = b”第 3 个字符处：此处不应有“=”；比较运算符只有 < <= > >= == !="
        );
        assert_eq!(zh("1.2.3"), "公式“1.2.3”第 1 个字符处：“1.2.3”不是数字");
        // The English is the same as ever.
        assert_eq!(
            parse("(a + b").unwrap_err().to_string(),
            "in `(a + b` at character 7: missing `)`"
        );
    }

    #[test]
    fn unknown_codes_suggest_the_closest_and_indicators_expand() {
        let cat = Catalog::builtin();
        let e = resolve("dischrges / open_beds", &cat).unwrap_err();
        assert!(
            e.message.contains("unknown code `dischrges`")
                && e.message.contains("did you mean `discharges`"),
            "{e}"
        );
        let ast = resolve("grade34_share * 2", &cat).unwrap();
        let mut vars = BTreeSet::new();
        ast.vars(&mut vars);
        assert_eq!(
            vars.into_iter().collect::<Vec<_>>(),
            vec![
                "inpatient_surgeries",
                "surgeries_grade3",
                "surgeries_grade4"
            ]
        );
    }
}
