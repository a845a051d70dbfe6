"""The bundled recorded machines: each loads, each tells the truth the
reference profiles require (machine-profiles.md, "What every recorded machine
must get right"), and the reacting ones react the way a real machine does."""

from __future__ import annotations

from pathlib import Path

import pytest

from wslwizard.host.recorded import (
    BUNDLED_DIR,
    RecordedHost,
    bundled_scenarios,
    load_scenario,
)

CASES = Path(__file__).parent / "cases"

EXPECTED = {
    "demo",
    "plain-linux",
    "windows-host-2.5.4",
    "wsl-2.4.13-builtin",
    "wsl-2.5.4-after-modprobe",
    "wsl-2.5.4-docker-failing",
    "wsl-2.5.4-interop-disabled",
    "wsl-2.5.4-rancher",
    "wsl-2.5.4-static-node",
    "wsl-2.5.4-wsl-exe-hangs",
    "wsl-2.5.7-cgroup-v1",
    "wsl-2.5.9-healthy",
    "wsl-2.5.9-zh-CN",
    "wsl1-ubuntu",
}
#: The WSL 2 distros (Linux side); all but WSL 1, plain Linux and Windows.
WSL2 = sorted(EXPECTED - {"plain-linux", "windows-host-2.5.4", "wsl1-ubuntu"})
#: tun not loaded, 6.6.75.1 (profile 2 and its variants).
FAILING_254 = [
    "demo",
    "wsl-2.5.4-docker-failing",
    "wsl-2.5.4-interop-disabled",
    "wsl-2.5.4-rancher",
    "wsl-2.5.4-static-node",
    "wsl-2.5.4-wsl-exe-hangs",
]
#: tun loaded at boot by WSL (profile 4 and the 2.5.7 machine).
BOOT_LOADED = ["wsl-2.5.7-cgroup-v1", "wsl-2.5.9-healthy", "wsl-2.5.9-zh-CN"]

KERNEL = {
    "6.6.75.1": "#1 SMP PREEMPT_DYNAMIC Sat Feb  8 02:00:20 UTC 2025",
    "6.6.87.2": "#1 SMP PREEMPT_DYNAMIC Thu Jun  5 18:30:46 UTC 2025",
    "5.15.167.4": "#1 SMP Tue Nov 5 00:21:55 UTC 2024",
}
CANNOT_CONNECT = (
    b"Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
    b"Is the docker daemon running?\n"
)
FATAL = (
    b"FATAL: initializing TAP AF_VSOCK: opening tap interface: "
    b"no such file or directory"
)
BACKEND_LOG = (
    "/mnt/c/Users/alice/AppData/Local/Docker/log/host/com.docker.backend.exe.log"
)


def load(name: str) -> RecordedHost:
    host = load_scenario(name)
    host.sleep = lambda seconds: None
    return host


def text(host: RecordedHost, path: str) -> str:
    return host.read_bytes(path).decode("utf-8")


def lines(host: RecordedHost, path: str) -> list[str]:
    return text(host, path).splitlines()


def release(host: RecordedHost) -> str:
    return text(host, "/proc/sys/kernel/osrelease").strip()


def run(host: RecordedHost, *argv: str) -> tuple[int | None, bytes, bytes]:
    result = host.run(argv, timeout=2.0)
    return result.returncode, result.stdout, result.stderr


def wsl_text(data: bytes) -> str:
    """wsl.exe's bytes: UTF-16LE without BOM, CRLF line ends."""
    assert not data.startswith(b"\xff\xfe")
    decoded = data.decode("utf-16-le")
    assert "\n" not in decoded.replace("\r\n", "")
    return decoded.replace("\r\n", "\n")


def become_root(host: RecordedHost) -> None:
    """What the runner does: sudo -v on the terminal, then sudo -n."""
    assert run(host, "sudo", "-n", "true")[0] == 1
    assert host.run_interactive(("sudo", "-v"), timeout=5.0).returncode == 0
    assert run(host, "sudo", "-n", "true")[0] == 0


# -- every bundled machine ----------------------------------------------------


def test_the_bundled_set_is_complete() -> None:
    assert set(bundled_scenarios()) >= EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scenario_loads_and_says_where_it_comes_from(name: str) -> None:
    host = load(name)
    assert host.label == name
    source = (BUNDLED_DIR / f"{name}.toml").read_text(encoding="utf-8")
    header = source.split("[machine]")[0]
    assert header.startswith("# ")
    assert all(line.startswith("#") or not line for line in header.splitlines())
    if name != "plain-linux":  # captured on the test machine itself
        assert "machine-profiles" in header
    assert host.scenario.description
    for line in source.splitlines():
        if line.startswith("#"):
            assert len(line) <= 88, line


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_personal_details_are_replaced(name: str) -> None:
    source = (BUNDLED_DIR / f"{name}.toml").read_text(encoding="utf-8")
    host = load(name)
    env = host.environ()
    for key in ("USER", "USERNAME"):
        assert env.get(key, "alice") == "alice"
    assert "HOME" not in env or env["HOME"] == "/home/alice"
    assert (
        "/Users/alice" in source
        or "\\Users\\alice" in source
        or (name == "plain-linux")
    )


@pytest.mark.parametrize("name", sorted(EXPECTED - {"windows-host-2.5.4"}))
def test_kernel_release_is_the_same_everywhere(name: str) -> None:
    host = load(name)
    rel = release(host)
    version = text(host, "/proc/version")
    assert version.startswith(f"Linux version {rel} ")
    assert run(host, "uname", "-r")[1].decode() == rel + "\n"
    assert f" {rel} " in run(host, "uname", "-a")[1].decode()
    for prefix, stamp in KERNEL.items():
        if rel.startswith(prefix):
            assert version.rstrip("\n").endswith(stamp)


@pytest.mark.parametrize("name", WSL2)
def test_wsl2_distro_plumbing(name: str) -> None:
    host = load(name)
    assert release(host).endswith("-microsoft-standard-WSL2")
    env = host.environ()
    assert env["WSL_DISTRO_NAME"] == "Ubuntu-24.04"
    assert env["HOME"] == "/home/alice" and env["USER"] == "alice"
    module_dir = f"/lib/modules/{release(host)}"
    info = host.stat(module_dir)
    assert info is not None and info.kind == "dir"
    assert host.stat(f"/usr/lib/modules/{release(host)}") is not None
    systemd = host.stat("/run/systemd/system") is not None
    assert systemd == (lines(host, "/proc/1/comm") == ["systemd"])
    assert host.list_dir("/mnt/c/Users") == ["Default", "Public", "alice"]
    if "WSL_INTEROP" in env:
        socket = host.stat(env["WSL_INTEROP"])
        assert socket is not None and socket.kind == "socket"
        assert "/mnt/c/WINDOWS/system32" in env["PATH"].split(":")
        entries = host.list_dir("/proc/sys/fs/binfmt_misc")
        assert entries and set(entries) <= {"WSLInterop", "WSLInterop-late"}
        for entry in entries:
            # mini_init registers WSLInterop with flags PF; WSL's systemd
            # override re-registers WSLInterop-late with P (profiles §0.2).
            flags = "P" if entry.endswith("-late") else "PF"
            assert lines(host, f"/proc/sys/fs/binfmt_misc/{entry}") == [
                "enabled",
                "interpreter /init",
                f"flags: {flags}",
                "offset 0",
                "magic 4d5a",
            ]


@pytest.mark.parametrize("name", WSL2 + ["wsl1-ubuntu"])
def test_wsl_versions_agree(name: str) -> None:
    """wslinfo (inside) and wsl.exe (Windows) name the same package, and
    wsl.exe names the package kernel, not uname -r (profile rule 7)."""
    host = load(name)
    code, out, _err = run(host, "wslinfo", "--wsl-version")
    assert code == 0
    package = out.decode().strip()
    result = host.run(["wsl.exe", "--version"], timeout=0.05)
    if result.not_found or result.timed_out:
        return
    version = wsl_text(result.stdout).splitlines()
    assert version[0].endswith(": " + package)
    kernel = version[1].split(": ", 1)[1]
    assert kernel.endswith("-1") and kernel != release(host)
    if name != "wsl1-ubuntu":
        assert release(host).startswith(kernel[: -len("-1")] + "-microsoft")


@pytest.mark.parametrize("name", WSL2 + ["wsl1-ubuntu", "windows-host-2.5.4"])
def test_wsl_list_header_and_states_are_english(name: str) -> None:
    host = load(name)
    result = host.run(["wsl.exe", "-l", "-v"], timeout=0.05)
    if result.not_found or result.timed_out:
        return
    listing = wsl_text(result.stdout).splitlines()
    assert listing[0].split() == ["NAME", "STATE", "VERSION"]
    assert listing[1].startswith("* ")
    for row in listing[1:]:
        assert row.split()[-2] in ("Running", "Stopped")


# -- rule 1 and 2: order, and the three separate facts about tun --------------


def test_254_has_the_module_file_but_no_registration() -> None:
    for name in FAILING_254:
        host = load(name)
        rel = release(host)
        assert rel == "6.6.75.1-microsoft-standard-WSL2"
        module = host.stat(f"/lib/modules/{rel}/kernel/drivers/net/tun.ko")
        assert module is not None and module.kind == "file"
        assert "kernel/drivers/net/tun.ko:" in lines(
            host, f"/lib/modules/{rel}/modules.dep"
        )
        assert "kernel/drivers/net/tun.ko" not in text(
            host, f"/lib/modules/{rel}/modules.builtin"
        )
        assert not any(line.startswith("tun ") for line in lines(host, "/proc/modules"))
        assert "200 tun" not in lines(host, "/proc/misc")
        assert host.stat("/sys/module/tun") is None
        node = host.stat("/dev/net/tun")
        if name == "wsl-2.5.4-static-node":
            # Rule 2: a node without registration, from kmod-static-nodes.
            assert node is not None and node.permissions == "crw-rw-rw-"
            assert node.device == (10, 200)
            assert host.read_bytes(f"/lib/modules/{rel}/modules.devname")
            assert host.tap_check().errno_name == "ENODEV"
        else:
            assert node is None
            assert host.tap_check().errno_name == "ENOENT"


def test_515_registers_tun_without_a_module_line() -> None:
    host = load("wsl-2.4.13-builtin")
    rel = release(host)
    assert host.read_bytes("/proc/modules") == b""  # empty, not absent
    misc = lines(host, "/proc/misc")
    assert "200 tun" in misc and misc[0] != "200 tun"
    assert host.stat("/sys/module/tun") is None
    assert host.stat(f"/lib/modules/{rel}/kernel/drivers/net/tun.ko") is None
    assert "kernel/drivers/net/tun.ko" in lines(
        host, f"/lib/modules/{rel}/modules.builtin"
    )
    node = host.stat("/dev/net/tun")
    assert node is not None and node.permissions == "crw-rw-rw-"
    assert run(host, "lsmod") == (0, b"Module                  Size  Used by\n", b"")


@pytest.mark.parametrize("name", BOOT_LOADED)
def test_boot_loaded_tun_sits_at_the_bottom(name: str) -> None:
    host = load(name)
    modules = lines(host, "/proc/modules")
    assert modules[-1].startswith("tun 61440 1 - Live ")
    names = [line.split()[0] for line in modules]
    assert names[-6:] == ["br_netfilter", "bridge", "stp", "llc", "ip_tables", "tun"]
    misc = lines(host, "/proc/misc")
    assert misc.index("232 kvm") < misc.index("200 tun")
    assert text(host, "/sys/module/tun/initstate") == "live\n"
    node = host.stat("/dev/net/tun")
    assert node is not None and node.permissions == "crw-rw-rw-"
    listed = run(host, "lsmod")[1].decode().splitlines()
    assert listed[0] == "Module                  Size  Used by"
    assert listed[-1] == "tun                    61440  1"
    assert [row.split()[0] for row in listed[1:]] == names


def test_proc_modules_lines_have_the_kernel_format() -> None:
    for name in sorted(EXPECTED - {"plain-linux", "windows-host-2.5.4", "wsl1-ubuntu"}):
        for line in lines(load(name), "/proc/modules"):
            fields = line.split(" ")
            assert len(fields) == 6, line
            assert fields[1].isdigit() and fields[2].isdigit()
            assert fields[3] == "-" or fields[3].endswith(",")
            assert fields[4] == "Live"
            assert fields[5] == "0x0000000000000000"  # read as a normal user
        for line in lines(load(name), "/proc/misc"):
            assert line[:3].strip().isdigit() and line[3] == " ", line


# -- rule 3: the modules overlay in /proc/mounts -------------------------------


@pytest.mark.parametrize("name", WSL2)
def test_modules_overlay_is_mounted_under_usr_lib(name: str) -> None:
    host = load(name)
    rel = release(host)
    overlay = [
        line
        for line in lines(host, "/proc/mounts")
        if line.split()[1] == f"/usr/lib/modules/{rel}"
    ]
    assert len(overlay) == 1
    assert overlay[0].split()[2] == "overlay"
    assert ("uuid=on" in overlay[0]) == rel.startswith("6.6")


# -- rule 4 and the repair: newest first, 0600 then 0666, Docker restarts -----


def test_the_repair_on_the_failing_machine() -> None:
    host = load("wsl-2.5.4-docker-failing")
    modules_before = host.read_bytes("/proc/modules")
    misc_before = host.read_bytes("/proc/misc")

    # Not root, and sudo without a password: nothing changes.
    code, _out, err = run(host, "modprobe", "tun")
    assert code == 1
    assert err == b"modprobe: ERROR: could not insert 'tun': Operation not permitted\n"
    code, _out, err = run(host, "sudo", "-n", "modprobe", "tun")
    assert (code, err) == (1, b"sudo: a password is required\n")
    assert host.read_bytes("/proc/modules") == modules_before
    assert host.read_bytes("/proc/misc") == misc_before

    become_root(host)
    assert run(host, "sudo", "-n", "modprobe", "tun") == (0, b"", b"")
    assert lines(host, "/proc/modules")[0] == "tun 61440 0 - Live 0x0000000000000000"
    assert lines(host, "/proc/misc")[0] == "200 tun"
    assert text(host, "/sys/module/tun/initstate") == "live\n"
    node = host.stat("/dev/net/tun")
    assert node is not None and node.permissions == "crw-------"
    assert node.device == (10, 200)
    assert host.tap_check().errno_name == "EACCES"
    # Loading twice changes nothing.
    assert run(host, "sudo", "-n", "modprobe", "tun")[0] == 0
    assert host.read_bytes("/proc/misc").count(b"200 tun") == 1

    # udev makes the node 0666; the engine is still down until a restart.
    assert run(host, "udevadm", "settle")[0] == 0
    node = host.stat("/dev/net/tun")
    assert node is not None and node.permissions == "crw-rw-rw-"
    assert host.tap_check().errno_name == "EPERM"
    code, out, err = run(host, "docker", "version")
    assert code == 1 and err == CANNOT_CONNECT and out.startswith(b"Client:\n")
    assert text(host, BACKEND_LOG).rstrip("\n").endswith(FATAL.decode())

    assert run(host, "docker.exe", "desktop", "restart")[0] == 0
    assert lines(host, "/proc/modules")[0] == "tun 61440 1 - Live 0x0000000000000000"
    assert text(host, "/sys/module/tun/refcnt") == "1\n"
    assert not text(host, BACKEND_LOG).rstrip("\n").endswith(FATAL.decode())
    code, out, err = run(host, "docker", "version")
    assert code == 0 and err == b""
    assert b"\nServer: Docker Desktop 4.39.0 (184744)\n" in out
    listing = wsl_text(host.run(["wsl.exe", "-l", "-v"], timeout=1.0).stdout)
    assert "docker-desktop    Running" in listing


def test_restart_without_tun_fails_again() -> None:
    host = load("wsl-2.5.4-docker-failing")
    before = text(host, BACKEND_LOG).count(FATAL.decode())
    assert run(host, "docker.exe", "desktop", "restart")[0] == 0
    assert text(host, BACKEND_LOG).count(FATAL.decode()) == before + 1
    assert run(host, "docker", "version")[0] == 1
    # Loading tun afterwards is not enough: Docker must restart again.
    become_root(host)
    run(host, "sudo", "-n", "modprobe", "tun")
    assert run(host, "docker", "version")[0] == 1


def test_tap_after_tun_keeps_the_order_through_a_restart() -> None:
    host = load("wsl-2.5.4-docker-failing")
    become_root(host)
    run(host, "sudo", "-n", "modprobe", "tun")
    assert run(host, "sudo", "-n", "modprobe", "tap") == (0, b"", b"")
    first, second = lines(host, "/proc/modules")[:2]
    assert first.startswith("tap ") and second.startswith("tun 61440 0 ")
    assert lines(host, "/proc/misc")[0] == "200 tun"  # tap has no misc device
    run(host, "docker.exe", "desktop", "restart")
    first, second = lines(host, "/proc/modules")[:2]
    assert first.startswith("tap ") and second.startswith("tun 61440 1 ")


def test_undo_restores_the_starting_state() -> None:
    host = load("wsl-2.5.4-docker-failing")
    modules, misc = host.read_bytes("/proc/modules"), host.read_bytes("/proc/misc")
    become_root(host)
    run(host, "sudo", "-n", "modprobe", "tun")
    run(host, "sudo", "-n", "modprobe", "tap")
    assert run(host, "sudo", "-n", "modprobe", "-r", "tap")[0] == 0
    assert run(host, "sudo", "-n", "modprobe", "-r", "tun")[0] == 0
    assert host.read_bytes("/proc/modules") == modules
    assert host.read_bytes("/proc/misc") == misc
    assert host.stat("/dev/net/tun") is None
    assert host.stat("/sys/module/tun") is None
    assert host.stat("/sys/module/tap") is None
    assert not {"tun-loaded", "tap-loaded"} & host.flags


def test_static_node_stays_through_load_and_unload() -> None:
    host = load("wsl-2.5.4-static-node")
    become_root(host)
    run(host, "sudo", "-n", "modprobe", "tun")
    assert lines(host, "/proc/misc")[0] == "200 tun"
    node = host.stat("/dev/net/tun")
    assert node is not None and node.permissions == "crw-rw-rw-"
    assert host.tap_check().errno_name == "EPERM"
    run(host, "sudo", "-n", "modprobe", "-r", "tun")
    assert host.stat("/dev/net/tun") is not None
    assert host.tap_check().errno_name == "ENODEV"


def test_after_modprobe_is_profile_3() -> None:
    host = load("wsl-2.5.4-after-modprobe")
    assert "tun-loaded" in host.flags
    assert lines(host, "/proc/modules")[0] == "tun 61440 0 - Live 0x0000000000000000"
    assert lines(host, "/proc/misc")[0] == "200 tun"
    node = host.stat("/dev/net/tun")
    assert node is not None and node.permissions == "crw-------"
    assert text(host, BACKEND_LOG).rstrip("\n").endswith(FATAL.decode())
    assert run(host, "docker", "version")[0] == 1
    assert run(host, "modprobe", "tun")[0] == 0  # already loaded: silent
    run(host, "docker.exe", "desktop", "restart")
    assert run(host, "docker", "version")[0] == 0


# -- rule 5: WSL 1 has no /proc/modules; 5.15 has an empty one ----------------


def test_wsl1_has_no_kernel_module_machinery() -> None:
    host = load("wsl1-ubuntu")
    rel = release(host)
    assert rel == "4.4.0-19041-Microsoft"
    for path in ("/proc/modules", "/proc/misc", "/sys/module", "/dev/net/tun"):
        assert host.stat(path) is None, path
    assert host.stat(f"/lib/modules/{rel}") is None
    code, out, err = run(host, "lsmod")
    assert code == 1 and out == b""
    assert len(err.splitlines()) == 2
    assert b"could not open /proc/modules: No such file or directory" in err
    expected = (
        f"modprobe: FATAL: Module tun not found in directory /lib/modules/{rel}\n"
    )
    assert run(host, "modprobe", "tun") == (1, b"", expected.encode())
    become_root(host)
    assert run(host, "sudo", "-n", "modprobe", "tun")[2] == expected.encode()
    assert lines(host, "/proc/sys/fs/binfmt_misc/WSLInterop")[2] == "flags: P"
    assert host.environ()["WSL_DISTRO_NAME"] == "Ubuntu"
    listing = wsl_text(host.run(["wsl.exe", "-l", "-v"], timeout=1.0).stdout)
    assert listing.splitlines()[1].split() == ["*", "Ubuntu", "Running", "1"]


# -- rule 6: the three docker outcomes ----------------------------------------


def test_docker_outcomes() -> None:
    code, out, _err = run(load("wsl1-ubuntu"), "docker", "version")
    assert code == 1
    assert out.startswith(b"The command 'docker' could not be found in this WSL 1")
    for name in ("wsl-2.5.4-docker-failing", "wsl-2.5.7-cgroup-v1"):
        code, out, err = run(load(name), "docker", "version")
        assert code == 1 and err == CANNOT_CONNECT
        assert out.startswith(b"Client:\n") and out.endswith(b"default\n")
    for name in ("wsl-2.4.13-builtin", "wsl-2.5.9-healthy", "wsl-2.5.9-zh-CN"):
        host = load(name)
        code, out, err = run(host, "docker", "version")
        assert code == 0 and err == b""
        assert b"Server: Docker Desktop 4.39.0 (184744)\n" in out
        socket = host.stat("/var/run/docker.sock")
        assert socket is not None and socket.kind == "socket"
    assert load("wsl-2.5.4-rancher").which("docker") is None


# -- rule 8 and interop --------------------------------------------------------


def test_interop_disabled() -> None:
    host = load("wsl-2.5.4-interop-disabled")
    env = host.environ()
    assert "WSL_INTEROP" not in env and "WSL_DISTRO_NAME" in env
    assert "/mnt/c" not in env["PATH"]
    assert "enabled=false" in text(host, "/etc/wsl.conf")
    assert host.stat("/proc/sys/fs/binfmt_misc/WSLInterop") is None
    assert host.stat("/proc/sys/fs/binfmt_misc/WSLInterop-late") is None
    for program in ("wsl.exe", "cmd.exe", "tasklist.exe", "docker.exe"):
        assert host.which(program) is None
        assert host.run([program, "--version"], timeout=1.0).not_found
    assert run(host, "wslinfo", "--wsl-version") == (0, b"2.5.4.0\n", b"")
    assert host.stat(BACKEND_LOG) is not None


def test_wsl_exe_hangs_but_the_rest_answers() -> None:
    host = RecordedHost(load("wsl-2.5.4-wsl-exe-hangs").scenario)
    for argv in (["wsl.exe", "--version"], ["wsl.exe", "-l", "-v"]):
        result = host.run(argv, timeout=0.02)
        assert result.timed_out and not result.ok
    assert host.which("wsl.exe") is not None
    assert host.run(["tasklist.exe", "/fo", "csv", "/nh"], timeout=0.02).ok
    assert run(host, "wslinfo", "--wsl-version")[1] == b"2.5.4.0\n"


@pytest.mark.parametrize("name", [n for n in WSL2 if n != "wsl-2.5.4-interop-disabled"])
def test_windows_side_through_interop(name: str) -> None:
    host = load(name)
    assert host.which("wsl.exe") == "/mnt/c/WINDOWS/system32/wsl.exe"
    code, out, _err = run(host, "cmd.exe", "/d", "/c", "echo", "%LOCALAPPDATA%")
    assert (code, out) == (0, b"C:\\Users\\alice\\AppData\\Local\r\n")
    code, out, _err = run(host, "wslpath", "-u", "C:\\Users\\alice\\AppData\\Local")
    assert out == b"/mnt/c/Users/alice/AppData/Local\n"
    assert host.stat(out.decode().strip()) is not None
    tasks = run(host, "tasklist.exe", "/fo", "csv", "/nh")[1].decode()
    names = {row.split('","')[0].strip('"') for row in tasks.splitlines()}
    assert "vmmemWSL" in names
    assert ("Rancher Desktop.exe" in names) == (name == "wsl-2.5.4-rancher")
    assert ("Docker Desktop.exe" in names) != (name == "wsl-2.5.4-rancher")


def test_zh_cn_windows_speaks_chinese_in_utf16() -> None:
    host = load("wsl-2.5.9-zh-CN")
    version = wsl_text(host.run(["wsl.exe", "--version"], timeout=1.0).stdout)
    sample = (CASES / "wsl-version-zh-CN-2.5.9.0-windows-label.txt").read_text("utf-8")
    assert version == "".join(sample.splitlines(True)[1:])
    assert version.splitlines()[-1] == "Windows: 10.0.26100.4202"
    status = wsl_text(host.run(["wsl.exe", "--status"], timeout=1.0).stdout)
    assert status.splitlines()[0] == "默认分发: Ubuntu-24.04"


# -- logs ----------------------------------------------------------------------


def test_failing_log_is_the_real_capture_then_the_fatal_line() -> None:
    host = load("wsl-2.5.4-docker-failing")
    log = text(host, BACKEND_LOG)
    captured = (CASES / "docker-log-wslbootstrap-init-2.5.4.txt").read_text("utf-8")
    stripped = (CASES / "docker-log-tap-af-vsock-fatal-stripped.txt").read_text("utf-8")
    assert log.startswith(captured)
    last = log.splitlines()[-1]
    assert last.startswith("[2025-04-04T00:35:22.")
    assert "][com.docker.backend.exe.WSLBootstrap] [2025-04-04T00:35:22." in last
    assert last.endswith(stripped.rstrip("\n"))
    vm_log = text(
        host, BACKEND_LOG.replace("host/com.docker.backend.exe.log", "vm/init.log")
    )
    assert vm_log.splitlines()[-1].endswith(stripped.rstrip("\n"))


def test_demo_is_the_failing_machine_with_a_longer_log() -> None:
    demo, failing = load("demo"), load("wsl-2.5.4-docker-failing")
    assert text(demo, BACKEND_LOG).count(FATAL.decode()) == 3
    assert len(text(demo, BACKEND_LOG)) > len(text(failing, BACKEND_LOG))
    for path in ("/proc/modules", "/proc/misc", "/proc/version", "/etc/os-release"):
        assert demo.read_bytes(path) == failing.read_bytes(path)
    assert demo.stat("/dev/net/tun") is None


def test_rancher_log_is_the_real_capture() -> None:
    host = load("wsl-2.5.4-rancher")
    path = "/mnt/c/Users/alice/AppData/Local/rancher-desktop/logs/vm-switch.log"
    assert (
        host.read_bytes(path)
        == (CASES / "rd-vm-switch-log-tap-eth0-failed.txt").read_bytes()
    )
    assert host.stat("/mnt/c/Users/alice/AppData/Local/Docker") is None


def test_cgroup_machine_has_tun_and_the_cgroup_signature() -> None:
    host = load("wsl-2.5.7-cgroup-v1")
    log = text(host, BACKEND_LOG)
    assert "/sys/fs/cgroup/freezer/docker/docker-desktop/cgroup.procs" in log
    assert (
        "running engine: waiting for the Docker API: context deadline exceeded" in log
    )
    assert FATAL.decode() not in log
    assert "200 tun" in lines(host, "/proc/misc")
    assert run(host, "wslinfo", "--wsl-version")[1] == b"2.5.7.0\n"
    assert run(host, "docker", "version")[1].startswith(
        b"Client:\n Version:           28.1.1"
    )


# -- the machines that are not WSL 2 -------------------------------------------


def test_plain_linux_has_no_wsl_markers() -> None:
    host = load("plain-linux")
    env = host.environ()
    assert not {"WSL_DISTRO_NAME", "WSL_INTEROP", "WSLENV"} & set(env)
    assert host.stat("/proc/modules") is None
    assert host.stat("/lib/modules") is None
    assert host.stat("/run/WSL") is None
    assert host.stat("/proc/sys/fs/binfmt_misc/WSLInterop") is None
    assert "200 tun" in lines(host, "/proc/misc")
    node = host.stat("/dev/net/tun")
    assert node is not None and node.device == (10, 200)
    assert "microsoft" not in text(host, "/proc/version").lower()
    assert host.which("sudo") is None and host.which("wsl.exe") is None
    assert host.list_dir("/mnt") == []


def test_windows_host() -> None:
    host = load("windows-host-2.5.4")
    assert host.platform() == "win32"
    assert host.uid() is None
    local = host.environ()["LOCALAPPDATA"]
    assert local == "C:\\Users\\alice\\AppData\\Local"
    log = host.read_bytes(local + "\\Docker\\log\\host\\com.docker.backend.exe.log")
    assert log.rstrip(b"\n").endswith(FATAL)
    assert host.list_dir(local + "\\Docker\\log") == ["host", "vm"]
    names = {p.name for p in host.processes()}
    assert {"Docker Desktop.exe", "com.docker.backend.exe", "vmmemWSL"} <= names
    assert host.which("wsl.exe") == "C:\\Program Files\\WSL\\wsl.exe"
    assert not host.tap_check().attempted
    # Linux output relayed by wsl.exe is the program's own UTF-8, not UTF-16.
    misc = run(host, "wsl.exe", "-u", "root", "-e", "cat", "/proc/misc")[1]
    assert b"\x00" not in misc and b"200 tun" not in misc
    assert run(host, "wsl.exe", "-u", "root", "-e", "modprobe", "tun")[0] == 0
    misc = run(host, "wsl.exe", "-u", "root", "-e", "cat", "/proc/misc")[1]
    assert misc.splitlines()[0] == b"200 tun"
    assert run(host, "docker", "version")[0] == 1
    run(host, "docker.exe", "desktop", "restart")
    code, out, _err = run(host, "docker", "version")
    assert code == 0 and b"OS/Arch:           windows/amd64" in out
    assert b"Server: Docker Desktop 4.39.0" in out
