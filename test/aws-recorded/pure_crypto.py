"""The little cryptography the replayed flows need on the client side, in plain Python
(the suite uses the standard library and boto3 only): wrapping key material for KMS
ImportKeyMaterial with the wrapping public key from GetParametersForImport.

RSAES-OAEP (RFC 8017 §7.1.1) with SHA-1 or SHA-256 and MGF1 of the same hash, and AES key
wrap with padding (RFC 5649) for the RSA_AES_KEY_WRAP_* algorithms. Test code only: not
constant-time, not for real secrets."""

import hashlib
import os


# --- DER: just enough to read a SubjectPublicKeyInfo holding an RSA key ---

def _der_read(data, pos):
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        n = length & 0x7F
        length = int.from_bytes(data[pos:pos + n], "big")
        pos += n
    return tag, data[pos:pos + length], pos + length


def rsa_public_numbers(spki):
    """(n, e) of a DER SubjectPublicKeyInfo with an RSA key."""
    tag, body, _ = _der_read(spki, 0)
    assert tag == 0x30
    tag, _, pos = _der_read(body, 0)           # AlgorithmIdentifier
    tag, bits, _ = _der_read(body, pos)        # BIT STRING
    assert tag == 0x03 and bits[0] == 0
    tag, seq, _ = _der_read(bits[1:], 0)       # RSAPublicKey
    tag, n, pos = _der_read(seq, 0)
    tag, e, _ = _der_read(seq, pos)
    return int.from_bytes(n, "big"), int.from_bytes(e, "big")


# --- RSAES-OAEP ---

def _mgf1(seed, length, hash_fn):
    out = b""
    counter = 0
    while len(out) < length:
        out += hash_fn(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return out[:length]


def rsa_oaep_encrypt(spki, message, hash_name="sha256"):
    n, e = rsa_public_numbers(spki)
    k = (n.bit_length() + 7) // 8
    hash_fn = getattr(hashlib, hash_name)
    h_len = hash_fn().digest_size
    if len(message) > k - 2 * h_len - 2:
        raise ValueError("message too long for RSA-OAEP with this key")
    l_hash = hash_fn(b"").digest()
    db = l_hash + b"\x00" * (k - len(message) - 2 * h_len - 2) + b"\x01" + message
    seed = os.urandom(h_len)
    masked_db = bytes(a ^ b for a, b in zip(db, _mgf1(seed, k - h_len - 1, hash_fn)))
    masked_seed = bytes(a ^ b for a, b in zip(seed, _mgf1(masked_db, h_len, hash_fn)))
    em = b"\x00" + masked_seed + masked_db
    return pow(int.from_bytes(em, "big"), e, n).to_bytes(k, "big")


# --- AES (encryption only) and RFC 5649 key wrap with padding ---

def _sbox():
    sbox = [0] * 256
    p = q = 1
    while True:
        p = p ^ ((p << 1) & 0xFF) ^ (0x1B if p & 0x80 else 0)           # p * 3 in GF(2^8)
        q ^= q << 1
        q ^= q << 2
        q ^= q << 4
        q &= 0xFF
        if q & 0x80:
            q ^= 0x09                                                    # q / 3
        x = q ^ (q << 1 | q >> 7) ^ (q << 2 | q >> 6) ^ (q << 3 | q >> 5) ^ (q << 4 | q >> 4)
        sbox[p] = (x ^ 0x63) & 0xFF
        if p == 1:
            break
    sbox[0] = 0x63
    return sbox


SBOX = _sbox()


def _xtime(a):
    return ((a << 1) ^ 0x1B) & 0xFF if a & 0x80 else a << 1


def _expand_key(key):
    nk = len(key) // 4
    rounds = nk + 6
    words = [list(key[4 * i:4 * i + 4]) for i in range(nk)]
    rcon = 1
    for i in range(nk, 4 * (rounds + 1)):
        t = list(words[i - 1])
        if i % nk == 0:
            t = [SBOX[b] for b in t[1:] + t[:1]]
            t[0] ^= rcon
            rcon = _xtime(rcon)
        elif nk > 6 and i % nk == 4:
            t = [SBOX[b] for b in t]
        words.append([a ^ b for a, b in zip(words[i - nk], t)])
    return [sum(words[4 * r:4 * r + 4], []) for r in range(rounds + 1)]


def aes_encrypt_block(round_keys, block):
    s = [a ^ b for a, b in zip(block, round_keys[0])]
    for r in range(1, len(round_keys)):
        s = [SBOX[b] for b in s]
        s = [s[(i + 4 * (i % 4)) % 16] for i in range(16)]              # ShiftRows (column-major)
        if r != len(round_keys) - 1:
            out = []
            for c in range(4):
                a = s[4 * c:4 * c + 4]
                t = a[0] ^ a[1] ^ a[2] ^ a[3]
                out += [a[i] ^ t ^ _xtime(a[i] ^ a[(i + 1) % 4]) for i in range(4)]
            s = out
        s = [a ^ b for a, b in zip(s, round_keys[r])]
    return bytes(s)


def aes_key_wrap_with_padding(kek, plaintext):
    round_keys = _expand_key(kek)
    aiv = b"\xa6\x59\x59\xa6" + len(plaintext).to_bytes(4, "big")
    padded = plaintext + b"\x00" * (-len(plaintext) % 8)
    if len(padded) == 8:
        return aes_encrypt_block(round_keys, aiv + padded)
    a = aiv
    r = [padded[i:i + 8] for i in range(0, len(padded), 8)]
    n = len(r)
    for j in range(6):
        for i in range(n):
            b = aes_encrypt_block(round_keys, a + r[i])
            t = n * j + i + 1
            a = (int.from_bytes(b[:8], "big") ^ t).to_bytes(8, "big")
            r[i] = b[8:]
    return a + b"".join(r)


def wrap_key_material(arg):
    """{"public_key": DER bytes, "algorithm": WrappingAlgorithm, "material": bytes} → the
    EncryptedKeyMaterial ImportKeyMaterial expects."""
    algorithm, spki, material = arg["algorithm"], arg["public_key"], arg["material"]
    hash_name = "sha1" if algorithm.endswith("SHA_1") else "sha256"
    if algorithm.startswith("RSAES_OAEP_"):
        return rsa_oaep_encrypt(spki, material, hash_name)
    if algorithm.startswith("RSA_AES_KEY_WRAP_"):
        aes_key = os.urandom(32)
        return rsa_oaep_encrypt(spki, aes_key, hash_name) + aes_key_wrap_with_padding(aes_key, material)
    raise ValueError("unsupported wrapping algorithm %s" % algorithm)


# --- S3 flexible checksums (CRC32C and CRC64NVME have no standard-library implementation) ---

def _crc_table(poly, width):
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C = _crc_table(0x82F63B78, 32)
_CRC64NVME = _crc_table(0x9A6C9329AC4BC9B5, 64)


def _crc(data, table, mask):
    c = mask
    for b in data:
        c = table[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ mask


def checksum(algorithm, data):
    """The base64 value S3 puts in x-amz-checksum-<algorithm>."""
    import base64
    import zlib
    if isinstance(data, str):
        data = data.encode()
    if algorithm == "CRC32":
        raw = zlib.crc32(data).to_bytes(4, "big")
    elif algorithm == "CRC32C":
        raw = _crc(data, _CRC32C, 0xFFFFFFFF).to_bytes(4, "big")
    elif algorithm == "CRC64NVME":
        raw = _crc(data, _CRC64NVME, 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big")
    elif algorithm == "SHA1":
        raw = hashlib.sha1(data).digest()
    elif algorithm == "SHA256":
        raw = hashlib.sha256(data).digest()
    else:
        return ""
    return base64.b64encode(raw).decode()
