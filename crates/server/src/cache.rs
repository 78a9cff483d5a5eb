//! A small in-memory cache of API answers keyed by the normalized query: the
//! answers are deterministic, so a repeated query is served without recomputing.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::body::Bytes;

use crate::api::Wire;

/// Bounded by count and by bytes (keys and answers): the first answers stay, later ones
/// are computed each time once either bound is reached, so memory stays flat under any
/// stream of distinct queries.
pub struct Cache {
    inner: RwLock<Inner>,
    capacity: usize,
    max_bytes: usize,
}

struct Inner {
    map: HashMap<String, Bytes>,
    bytes: usize,
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
    pub fn new(capacity: usize, max_bytes: usize) -> Cache {
        Cache {
            inner: RwLock::new(Inner {
                map: HashMap::new(),
                bytes: 0,
            }),
            capacity,
            max_bytes,
        }
    }

    pub fn get(&self, key: &str) -> Option<Bytes> {
        self.inner.read().ok()?.map.get(key).cloned()
    }

    /// Keep an answer unless the cache is full (then the first answers stay).
    pub fn put(&self, key: String, body: Bytes) {
        let size = key.len() + body.len();
        if let Ok(mut m) = self.inner.write()
            && m.map.len() < self.capacity
            && m.bytes + size <= self.max_bytes
            && !m.map.contains_key(&key)
        {
            m.bytes += size;
            m.map.insert(key, body);
        }
    }

    /// Answers held and their size in bytes.
    #[cfg(test)]
    pub fn usage(&self) -> (usize, usize) {
        self.inner
            .read()
            .map(|m| (m.map.len(), m.bytes))
            .unwrap_or((0, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_by_count_and_by_bytes() {
        let c = Cache::new(3, 1000);
        c.put("a".into(), Bytes::from(vec![0; 100]));
        c.put("a".into(), Bytes::from(vec![0; 100])); // the same key is not counted twice
        assert_eq!(c.usage(), (1, 101));
        c.put("big".into(), Bytes::from(vec![0; 2000])); // over the byte bound: not kept
        assert!(c.get("big").is_none());
        c.put("b".into(), Bytes::from(vec![1; 10]));
        c.put("c".into(), Bytes::from(vec![2; 10]));
        c.put("d".into(), Bytes::from(vec![3; 10])); // over the count bound: not kept
        assert_eq!(c.usage().0, 3);
        assert!(c.get("d").is_none());
        assert_eq!(c.get("b").unwrap(), Bytes::from(vec![1; 10]));
    }
}
