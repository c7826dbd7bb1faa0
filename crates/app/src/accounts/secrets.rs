//! Secrets: random tokens for sessions, links and API access (stored only as SHA-256 hashes,
//! since they are long and random), and argon2id for passwords (slow on purpose).

use crate::Context;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::AppResult;

/// 32 random bytes, URL-safe, with a readable prefix (e.g. `lzt_` for API tokens).
pub fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// argon2id with a bound on how many hashes run at once: each takes `memory_kib` of memory,
/// so a burst of sign-ins must queue rather than multiply the server's memory.
#[derive(Clone)]
pub struct PasswordHasherConfig {
    pub memory_kib: u32,
    pub iterations: u32,
    pub permits: std::sync::Arc<tokio::sync::Semaphore>,
}

impl PasswordHasherConfig {
    pub fn new(memory_kib: u32, iterations: u32) -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Self {
            memory_kib,
            iterations,
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(cores)),
        }
    }

    async fn permit(&self) -> AppResult<tokio::sync::OwnedSemaphorePermit> {
        self.permits
            .clone()
            .acquire_owned()
            .await
            .context("hashing permits")
    }
}

impl PasswordHasherConfig {
    fn argon2(&self) -> AppResult<Argon2<'static>> {
        let params =
            Params::new(self.memory_kib, self.iterations, 1, None).context("argon2 parameters")?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// Hashes on the blocking pool: argon2 takes tens of milliseconds of CPU by design.
    pub async fn hash(&self, password: String) -> AppResult<String> {
        let argon = self.argon2()?;
        let permit = self.permit().await?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let salt = SaltString::generate(&mut rand::rngs::OsRng);
            argon
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .context("hashing password")
        })
        .await
        .context("hashing task")?
    }

    /// Verifies with the parameters stored in `hash`, so older hashes keep working.
    pub async fn verify(&self, password: String, hash: String) -> AppResult<bool> {
        let argon = self.argon2()?;
        let permit = self.permit().await?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let parsed = PasswordHash::new(&hash).context("stored hash")?;
            Ok(argon.verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await
        .context("verify task")?
    }
}
