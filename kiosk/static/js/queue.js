// The scan queue in IndexedDB: every event is written here before it is sent, and deleted only
// after the server has answered for it. A reload, a reboot or hours offline lose nothing.
const DB_NAME = "leifeng-kiosk";
const STORE = "scans";
let dbPromise = null;

function open() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains(STORE)) {
          db.createObjectStore(STORE, { keyPath: "id" }).createIndex("seq", "seq");
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => { dbPromise = null; reject(req.error); };
    });
  }
  return dbPromise;
}

function run(mode, fn) {
  return open().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  }));
}

// event: {id, token, scanned_at, station_id, station_name}; sync.js adds fails, held, next_try
export function add(event) {
  return run("readwrite", (store) => { store.put({ ...event, seq: Date.now() + Math.random() }); });
}

// The same event with its sending state (fails, held, next_try) changed; seq is kept.
export function put(event) {
  return run("readwrite", (store) => { store.put(event); });
}

export function all() {
  return run("readonly", (store) => store.index("seq").getAll());
}

export function remove(ids) {
  return run("readwrite", (store) => { ids.forEach((id) => store.delete(id)); });
}

export function count() {
  return run("readonly", (store) => store.count());
}
