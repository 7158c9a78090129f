package io.mirrorhost.api;

/**
 * The POSIX error numbers Ceph reports, with the texts {@code strerror} gives for them, so that
 * errors read exactly as {@code rbd} prints them: {@code (2) No such file or directory}.
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    EIO(5, "Input/output error"),
    EAGAIN(11, "Resource temporarily unavailable"),
    EACCES(13, "Permission denied"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    EXDEV(18, "Invalid cross-device link"),
    EINVAL(22, "Invalid argument"),
    EFBIG(27, "File too large"),
    ENOSPC(28, "No space left on device"),
    EROFS(30, "Read-only file system"),
    EDOM(33, "Numerical argument out of domain"),
    ERANGE(34, "Numerical result out of range"),
    ENOSYS(38, "Function not implemented"),
    ENOTEMPTY(39, "Directory not empty"),
    ENODATA(61, "No data available"),
    EOPNOTSUPP(95, "Operation not supported"),
    ECONNREFUSED(111, "Connection refused"),
    ESHUTDOWN(108, "Cannot send after transport endpoint shutdown"),
    ETIMEDOUT(110, "Connection timed out"),
    ESTALE(116, "Stale file handle"),
    ECANCELED(125, "Operation canceled");

    private final int code;
    private final String text;

    Errno(int code, String text) {
        this.code = code;
        this.text = text;
    }

    /** The positive error number, as the process exit status of {@code rbd}. */
    public int code() {
        return code;
    }

    /** The text of {@code strerror(code)}. */
    public String text() {
        return text;
    }

    /** {@code (2) No such file or directory}: the form {@code rbd} embeds in its messages. */
    public String describe() {
        return "(" + code + ") " + text;
    }

    public static Errno of(int code) {
        int positive = Math.abs(code);
        for (Errno e : values()) {
            if (e.code == positive) {
                return e;
            }
        }
        return EIO;
    }
}
