//! The one rule of shared intelligence. Indicator figures are published open data (OGL v3.0):
//! everyone who may see a place sees its figures, and places are public, so reading needs no
//! account. Network admins and people a network admin made analysts import data and correct an
//! indicator's definition (unit, polarity, whether it is on place spines); network admins
//! grant the analyst permission and say which areas a place covers. Nothing else here reads
//! `Role`.

use crate::{Actor, AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct IntelligenceAccess {
    import: bool,
    administer: bool,
}

impl IntelligenceAccess {
    pub fn of(actor: Option<&Actor>) -> Self {
        let Some(a) = actor else {
            return Self::default();
        };
        Self {
            import: a.administers_network() || a.user.analyst,
            administer: a.administers_network(),
        }
    }

    /// Import files and edit indicator definitions.
    pub fn may_import(self) -> bool {
        self.import
    }

    /// Grant the analyst permission; map places to areas.
    pub fn may_administer(self) -> bool {
        self.administer
    }

    pub fn require_import(actor: Option<&Actor>) -> AppResult<()> {
        match actor {
            None => Err(AppError::Unauthenticated),
            Some(a) if Self::of(Some(a)).import => Ok(()),
            Some(_) => Err(AppError::Forbidden),
        }
    }

    pub fn require_administer(actor: &Actor) -> AppResult<()> {
        actor.require_network_admin()
    }
}

#[cfg(test)]
mod tests {
    use lz_domain::Role;

    use super::*;
    use crate::access::tests::actor;

    #[test]
    fn only_network_admins_and_analysts_import() {
        assert!(!IntelligenceAccess::of(None).may_import());
        for role in Role::ALL {
            let a = actor(role, &[]);
            assert_eq!(
                IntelligenceAccess::of(Some(&a)).may_import(),
                role == Role::NetworkAdmin,
                "{role:?}"
            );
            let mut analyst = a.clone();
            analyst.user.analyst = true;
            assert!(
                IntelligenceAccess::of(Some(&analyst)).may_import(),
                "{role:?} analyst"
            );
            assert_eq!(
                IntelligenceAccess::of(Some(&analyst)).may_administer(),
                role == Role::NetworkAdmin
            );
        }
        assert!(matches!(
            IntelligenceAccess::require_import(None),
            Err(AppError::Unauthenticated)
        ));
    }
}
