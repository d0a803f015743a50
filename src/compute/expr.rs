//! Expressions: a definition's formula and its coverage flags as polars expressions over the
//! wide frame of member states.

use super::types::{Def, MISSING};
use crate::catalog::formula::{Ast, Op};
use polars::prelude::*;

/// Per-member flags of a definition, as polars expressions over the wide frame.
pub(super) struct DefExprs {
    /// Every operand known (reported, or a service never provided) and at least one reported.
    pub(super) covered: Expr,
    /// Not every operand a service the member never provides.
    pub(super) applicable: Expr,
    /// Some operand came from a member's 去年同月 column.
    pub(super) mr_any: Expr,
}

impl DefExprs {
    pub(super) fn new(def: &Def) -> DefExprs {
        let ops = &def.operands;
        let missing_any = any_of(ops.iter().map(|x| col(format!("{x}__st")).eq(lit(MISSING))));
        let all_never = all_of(ops.iter().map(|x| col(format!("{x}__st")).is_null()));
        // Never reported and not a service (revenue, staff) while another operand is: unknown.
        let unknown_any = any_of(
            def.unknown_if_never
                .iter()
                .map(|x| col(format!("{x}__st")).is_null()),
        );
        DefExprs {
            covered: missing_any
                .not()
                .and(all_never.clone().not())
                .and(unknown_any.not()),
            applicable: all_never.not(),
            mr_any: any_of(ops.iter().map(|x| col(format!("{x}__mr")).eq(lit(1)))),
        }
    }
}

pub(super) fn any_of(mut it: impl Iterator<Item = Expr>) -> Expr {
    let first = it.next().unwrap_or(lit(false));
    it.fold(first.fill_null(lit(false)), |acc, e| {
        acc.or(e.fill_null(lit(false)))
    })
}

pub(super) fn all_of(mut it: impl Iterator<Item = Expr>) -> Expr {
    let first = it.next().unwrap_or(lit(true));
    it.fold(first, |acc, e| acc.and(e))
}

/// The AST as a polars expression; a division by zero is null, never inf or NaN.
pub(super) fn to_expr(ast: &Ast, leaf: &dyn Fn(&str) -> Expr) -> Expr {
    match ast {
        Ast::Num(v) => lit(*v),
        Ast::Var(x) => leaf(x),
        Ast::Neg(a) => lit(0.0) - to_expr(a, leaf),
        Ast::Bin(op, a, b) => {
            let (a, b) = (to_expr(a, leaf), to_expr(b, leaf));
            match op {
                Op::Add => a + b,
                Op::Sub => a - b,
                Op::Mul => a * b,
                Op::Div => when(b.clone().eq(lit(0.0)))
                    .then(lit(NULL))
                    .otherwise(a / b),
                Op::Lt => a.lt(b).cast(DataType::Float64),
                Op::Le => a.lt_eq(b).cast(DataType::Float64),
                Op::Gt => a.gt(b).cast(DataType::Float64),
                Op::Ge => a.gt_eq(b).cast(DataType::Float64),
                Op::Eq => a.eq(b).cast(DataType::Float64),
                Op::Ne => a.neq(b).cast(DataType::Float64),
            }
        }
    }
}

pub(super) fn replace(ast: Ast, name: &str, with: &Ast) -> Ast {
    match ast {
        Ast::Var(v) if v == name => with.clone(),
        Ast::Neg(a) => Ast::Neg(Box::new(replace(*a, name, with))),
        Ast::Bin(op, a, b) => Ast::Bin(
            op,
            Box::new(replace(*a, name, with)),
            Box::new(replace(*b, name, with)),
        ),
        other => other,
    }
}
