//! A small in-memory cache of API answers keyed by the normalized query: the
//! answers are deterministic, so a repeated query is served without recomputing.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::body::Bytes;

use crate::api::Wire;

pub struct Cache {
    map: RwLock<HashMap<String, Bytes>>,
    capacity: usize,
}

/// Endpoint + parameters sorted by name (values as given) + format.
pub fn key(path: &str, query: &[(String, String)], wire: Wire) -> String {
    let mut q: Vec<&(String, String)> = query.iter().collect();
    q.sort();
    let mut k = format!("{path}|{wire:?}");
    for (a, b) in q {
        k.push('|');
        k.push_str(a);
        k.push('=');
        k.push_str(b.trim());
    }
    k
}

impl Cache {
    pub fn new(capacity: usize) -> Cache {
        Cache {
            map: RwLock::new(HashMap::new()),
            capacity,
        }
    }

    pub fn get(&self, key: &str) -> Option<Bytes> {
        self.map.read().ok()?.get(key).cloned()
    }

    /// Keep an answer unless the cache is full (then the first answers stay).
    pub fn put(&self, key: String, body: Bytes) {
        if let Ok(mut m) = self.map.write()
            && m.len() < self.capacity
        {
            m.insert(key, body);
        }
    }
}
