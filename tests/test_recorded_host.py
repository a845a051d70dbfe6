"""The recorded machine: how a scenario file is read and how it behaves."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from wslwizard.host.recorded import (
    RecordedHost,
    ScenarioError,
    bundled_scenarios,
    load_scenario,
    parse_scenario,
    resolve_scenario_path,
)

CASES = Path(__file__).parent / "cases"


def host_of(text: str) -> RecordedHost:
    host = RecordedHost(parse_scenario(text, source="test.toml"))
    host.sleep = lambda seconds: None
    return host


def machine(extra: str = "", header: str = "") -> RecordedHost:
    return host_of(f'[machine]\nname = "t"\n{header}\n{extra}')


# -- reading -----------------------------------------------------------------


FILES = """
[[file]]
path = "/proc/misc"
text = "232 kvm\\n200 tun\\n"

[[file]]
path = "/proc/modules"
text = ""

[[file]]
path = "/etc/shadow"
text = "secret"
unreadable = true

[[file]]
path = "/dev/net/tun"
type = "char"
device = [10, 200]
mode = "0666"

[[file]]
path = "/run/WSL/7_interop"
type = "socket"

[[file]]
path = "/lib"
type = "symlink"
target = "usr/lib"

[[file]]
path = "/usr/lib/modules/6.6/kernel/drivers/net/tun.ko"
text_hex = "7f 45 4c 46"

[[file]]
path = "/usr/lib/modules/6.6"
type = "dir"

[[file]]
path = "/data.bin"
text_base64 = "AAEC/w=="
"""


def test_defaults_of_a_minimal_scenario() -> None:
    host = machine()
    assert host.label == "t"
    assert host.recorded is True
    assert host.platform() == "linux"
    assert host.uid() == 1000
    assert host.environ() == {}
    assert host.processes() == []


def test_reading_files_and_their_kinds() -> None:
    host = machine(FILES)
    assert host.read_bytes("/proc/misc") == b"232 kvm\n200 tun\n"
    assert host.read_bytes("/proc/misc", limit=3) == b"232"
    assert host.read_tail("/proc/misc", 8) == (b"200 tun\n", 16)
    assert host.read_range("/proc/misc", 4, 3) == b"kvm"
    assert host.read_bytes("/data.bin") == b"\x00\x01\x02\xff"
    node = host.stat("/dev/net/tun")
    assert node is not None
    assert (node.kind, node.device, node.permissions) == (
        "char",
        (10, 200),
        "crw-rw-rw-",
    )
    socket = host.stat("/run/WSL/7_interop")
    assert socket is not None and socket.kind == "socket"


def test_empty_file_is_not_an_absent_file() -> None:
    host = machine(FILES)
    assert host.read_bytes("/proc/modules") == b""
    with pytest.raises(FileNotFoundError):
        host.read_bytes("/proc/version")
    assert host.stat("/proc/version") is None


def test_folders_exist_implicitly_above_recorded_files() -> None:
    host = machine(FILES)
    info = host.stat("/run/WSL")
    assert info is not None and info.kind == "dir"
    assert host.list_dir("/run") == ["WSL"]
    assert host.list_dir("/") == ["data.bin", "dev", "etc", "lib", "proc", "run", "usr"]
    with pytest.raises(IsADirectoryError):
        host.read_bytes("/run/WSL")
    with pytest.raises(NotADirectoryError):
        host.list_dir("/proc/misc")
    with pytest.raises(FileNotFoundError):
        host.list_dir("/nowhere")


def test_unreadable_file_raises_permission_error() -> None:
    host = machine(FILES)
    with pytest.raises(PermissionError):
        host.read_bytes("/etc/shadow")
    assert host.stat("/etc/shadow") is not None


def test_symlinked_folder_leads_to_its_target() -> None:
    """Ubuntu's merged /usr: /lib/modules/... is /usr/lib/modules/..."""
    host = machine(FILES)
    assert host.read_bytes("/lib/modules/6.6/kernel/drivers/net/tun.ko") == b"\x7fELF"
    assert host.list_dir("/lib/modules") == ["6.6"]
    info = host.stat("/lib/modules/6.6")
    assert info is not None and info.kind == "dir"
    link = host.stat("/lib")
    assert link is not None and link.kind == "dir"  # stat follows symlinks


def test_dangling_and_looping_symlinks_are_absent() -> None:
    host = machine(
        """
[[file]]
path = "/usr/bin/docker"
type = "symlink"
target = "/mnt/wsl/docker-desktop/cli-tools/usr/bin/docker"

[[file]]
path = "/a"
type = "symlink"
target = "/b"

[[file]]
path = "/b"
type = "symlink"
target = "/a"
"""
    )
    assert host.stat("/usr/bin/docker") is None
    with pytest.raises(FileNotFoundError):
        host.read_bytes("/usr/bin/docker")
    assert host.stat("/a") is None


def test_windows_paths_accept_either_slash() -> None:
    host = machine(
        r"""
[[file]]
path = 'C:\Users\alice\AppData\Local\Docker\log\host\com.docker.backend.exe.log'
text = "line\n"
""",
        header='platform = "win32"\nuid = -1',
    )
    assert host.uid() is None
    log = r"C:\Users\alice\AppData\Local\Docker\log\host\com.docker.backend.exe.log"
    assert host.read_bytes(log) == b"line\n"
    assert host.read_bytes(log.replace("\\", "/")) == b"line\n"
    assert host.list_dir("C:\\Users\\alice\\AppData\\Local\\Docker\\log") == ["host"]
    info = host.stat("C:/Users/alice/AppData")
    assert info is not None and info.kind == "dir"


def test_writing_and_removing_files() -> None:
    host = machine(FILES)
    host.write_file_atomic("/etc/modules-load.d/tun.conf", b"tun\n")
    assert host.read_bytes("/etc/modules-load.d/tun.conf") == b"tun\n"
    host.remove_file("/etc/modules-load.d/tun.conf")
    assert host.stat("/etc/modules-load.d/tun.conf") is None
    with pytest.raises(FileNotFoundError):
        host.remove_file("/etc/modules-load.d/tun.conf")
    with pytest.raises(PermissionError):
        host.write_file_atomic("/etc/shadow", b"x")


def test_the_scenario_is_not_changed_by_the_machine() -> None:
    scenario = parse_scenario('[machine]\nname = "t"\n' + FILES)
    first = RecordedHost(scenario)
    first.write_file_atomic("/proc/misc", b"")
    second = RecordedHost(scenario)
    assert second.read_bytes("/proc/misc") == b"232 kvm\n200 tun\n"


# -- payloads ----------------------------------------------------------------


def test_utf16_crlf_payload_is_byte_exact() -> None:
    """The reconstructed wsl.exe capture, rebuilt from readable text."""
    expected = (CASES / "wsl-version-en-2.3.26.0-utf16le-crlf.bin").read_bytes()
    host = machine(
        """
[[command]]
argv = ["wsl.exe", "--version"]
stdout_encoding = "utf-16-le"
stdout_newline = "crlf"
stdout = '''
WSL version: 2.3.26.0
Kernel version: 5.15.167.4-1
WSLg version: 1.0.65
MSRDC version: 1.2.5620
Direct3D version: 1.611.1-81528511
DXCore version: 10.0.26100.1-240331-1435.ge-release
Windows version: 10.0.26100.3037
'''
"""
    )
    result = host.run(["wsl.exe", "--version"], timeout=1.0)
    assert result.stdout == expected
    assert not result.stdout.startswith(b"\xff\xfe")  # no BOM


def test_utf16_crcrlf_payload_is_byte_exact() -> None:
    expected = (CASES / "wsl-help-en-utf16le-crcrlf-head.bin").read_bytes()
    host = machine(
        """
[[command]]
argv = ["wsl.exe", "--help"]
stdout_encoding = "utf-16-le"
stdout_newline = "crcrlf"
stdout = '''
Copyright (c) Microsoft Corporation. All rights reserved.

Usage: wsl.exe [Argument] [Options...] [CommandLine]
'''
"""
    )
    assert host.run(["wsl.exe", "--help"], timeout=1.0).stdout == expected


def test_hex_payloads_and_file_encodings() -> None:
    host = machine(
        """
[[command]]
argv = ["raw"]
stdout_hex = "0d 00 0a 00"
stderr = "中文\\n"
stderr_encoding = "gbk"

[[file]]
path = "/etc/wsl.conf"
text = "[boot]\\nsystemd=true\\n"
text_newline = "crlf"
"""
    )
    result = host.run(["raw"], timeout=1.0)
    assert result.stdout == b"\r\x00\n\x00"
    assert result.stderr == "中文\n".encode("gbk")
    assert host.read_bytes("/etc/wsl.conf") == b"[boot]\r\nsystemd=true\r\n"


# -- commands ----------------------------------------------------------------


COMMANDS = """
[[command]]
argv = ["modprobe", "tun"]
exit = 1
stderr = "modprobe: ERROR: could not insert 'tun': Operation not permitted\\n"

[[command]]
argv = ["/mnt/c/WINDOWS/system32/wsl.exe", "--version"]
stdout = "exact path\\n"

[[command]]
argv = ["cmd.exe"]
missing = true
"""


def test_program_matched_by_name_when_recorded_without_a_folder() -> None:
    host = machine(COMMANDS)
    for program in ("modprobe", "/usr/sbin/modprobe", "/sbin/modprobe"):
        result = host.run([program, "tun"], timeout=1.0)
        assert result.returncode == 1
        assert result.stderr.startswith(b"modprobe: ERROR")


def test_program_recorded_with_a_folder_needs_that_exact_path() -> None:
    host = machine(COMMANDS)
    exact = host.run(["/mnt/c/WINDOWS/system32/wsl.exe", "--version"], timeout=1.0)
    assert exact.stdout == b"exact path\n"
    other = host.run(["/usr/bin/wsl.exe", "--version"], timeout=1.0)
    assert other.returncode is None


def test_missing_program_is_not_found() -> None:
    host = machine(COMMANDS)
    for argv in (["cmd.exe"], ["cmd.exe", "/c", "echo"], ["powershell.exe"]):
        result = host.run(argv, timeout=1.0)
        assert result.not_found, argv
        assert result.returncode is None
        assert not result.ran
    assert host.which("cmd.exe") is None
    assert host.which("powershell.exe") is None


def test_unrecorded_arguments_of_a_known_program_are_an_error_not_missing() -> None:
    host = machine(COMMANDS)
    result = host.run(["modprobe", "-r", "tun"], timeout=1.0)
    assert not result.not_found
    assert result.returncode is None
    assert result.error == "this command is not in the recorded machine"


def test_which_reports_the_program_along_path() -> None:
    host = machine(
        """
[environment]
PATH = "/usr/bin:/mnt/c/WINDOWS/system32"

[[file]]
path = "/mnt/c/WINDOWS/system32/wsl.exe"
text_hex = "4d5a"

[[command]]
argv = ["wsl.exe", "--version"]

[[command]]
argv = ["wslinfo", "--wsl-version"]
"""
    )
    assert host.which("wsl.exe") == "/mnt/c/WINDOWS/system32/wsl.exe"
    assert host.which("wslinfo") == "/usr/bin/wslinfo"
    found = host.which("wsl.exe")
    assert found is not None
    assert host.run([found, "--version"], timeout=1.0).ok


HANGS = """
[[command]]
argv = ["wsl.exe", "-l", "-v"]
hang = true

[[command]]
argv = ["slow"]
delay = 5.0
stdout = "late\\n"

[[command]]
argv = ["quick"]
delay = 0.01
stdout = "soon\\n"
"""


def test_hang_honours_the_timeout() -> None:
    host = RecordedHost(parse_scenario('[machine]\nname = "t"\n' + HANGS))
    started = time.monotonic()
    result = host.run(["wsl.exe", "-l", "-v"], timeout=0.05)
    elapsed = time.monotonic() - started
    assert result.timed_out
    assert result.returncode is None
    assert not result.ok
    assert result.duration == pytest.approx(0.05)
    assert 0.04 <= elapsed < 2.0


def test_a_delay_longer_than_the_timeout_is_a_timeout() -> None:
    slept: list[float] = []
    host = machine(HANGS)
    host.sleep = slept.append
    result = host.run(["slow"], timeout=0.2)
    assert result.timed_out and result.stdout == b""
    assert slept == [0.2]
    quick = host.run(["quick"], timeout=0.2)
    assert quick.ok and quick.stdout == b"soon\n"
    assert slept == [0.2, 0.01]


def test_every_command_is_logged_with_its_result() -> None:
    host = machine(COMMANDS)
    host.run(["modprobe", "tun"], timeout=1.0, input=b"x")
    host.run(["cmd.exe"], timeout=1.0)
    assert host.commands_run() == [("modprobe", "tun"), ("cmd.exe",)]
    first = host.command_log[0]
    assert first.input == b"x"
    assert first.result is not None and first.result.returncode == 1


# -- effects and flags -------------------------------------------------------


REACTIVE = """
[machine]
name = "reactive"
flags = ["start"]

[[file]]
path = "/proc/modules"
text = "kvm 970752 0 - Live 0x0000000000000000\\n"

[[file]]
path = "/proc/misc"
text = "232 kvm\\n"

[[file]]
path = "/dev/net"
type = "dir"

[[command]]
argv = ["load"]
when = ["loaded"]

[[command]]
argv = ["load"]

[[command.effect]]
action = "prepend"
path = "/proc/modules"
text = "tun 61440 0 - Live 0x0000000000000000\\n"

[[command.effect]]
action = "prepend"
path = "/proc/misc"
text = "200 tun\\n"

[[command.effect]]
action = "write"
path = "/sys/module/tun/initstate"
text = "live\\n"

[[command.effect]]
action = "char-device"
path = "/dev/net/tun"
device = [10, 200]
mode = "0600"

[[command.effect]]
action = "set-flag"
flag = "loaded"

[[command]]
argv = ["unload"]

[[command.effect]]
action = "remove-line"
path = "/proc/modules"
text = "tun 61440 0 - Live 0x0000000000000000"

[[command.effect]]
action = "remove-line"
path = "/proc/misc"
text = "200 tun\\n"

[[command.effect]]
action = "delete"
path = "/sys/module/tun"

[[command.effect]]
action = "delete"
path = "/dev/net/tun"

[[command.effect]]
action = "clear-flag"
flag = "loaded"

[[command]]
argv = ["settle"]
when = ["loaded"]

[[command.effect]]
action = "chmod"
path = "/dev/net/tun"
mode = "0666"

[[command]]
argv = ["state"]
when = ["start"]
unless = ["loaded"]
stdout = "cold\\n"

[[command]]
argv = ["state"]
stdout = "warm\\n"

[[command]]
argv = ["fails"]
exit = 3

[[command.effect]]
action = "set-flag"
flag = "never"

[[command]]
argv = ["log"]

[[command.effect]]
action = "append"
path = "/var/log/x.log"
text = "one\\n"

[[command.effect]]
action = "mkdir"
path = "/run/extra"
"""


def test_effects_change_the_machine_and_can_be_undone() -> None:
    host = host_of(REACTIVE)
    modules = host.read_bytes("/proc/modules")
    misc = host.read_bytes("/proc/misc")
    assert host.stat("/dev/net/tun") is None
    assert host.run(["load"], timeout=1.0).ok
    assert host.read_bytes("/proc/modules").splitlines()[0].startswith(b"tun ")
    assert host.read_bytes("/proc/misc").splitlines()[0] == b"200 tun"
    assert host.read_bytes("/sys/module/tun/initstate") == b"live\n"
    node = host.stat("/dev/net/tun")
    assert node is not None and node.permissions == "crw-------"
    assert node.device == (10, 200)
    assert "loaded" in host.flags
    assert host.run(["settle"], timeout=1.0).ok
    node = host.stat("/dev/net/tun")
    assert node is not None and node.permissions == "crw-rw-rw-"

    assert host.run(["unload"], timeout=1.0).ok
    assert host.read_bytes("/proc/modules") == modules
    assert host.read_bytes("/proc/misc") == misc
    assert host.stat("/sys/module/tun") is None
    assert host.stat("/dev/net/tun") is None
    assert host.stat("/dev/net") is not None
    assert "loaded" not in host.flags


def test_first_command_whose_flags_fit_answers() -> None:
    host = host_of(REACTIVE)
    assert host.run(["state"], timeout=1.0).stdout == b"cold\n"
    host.run(["load"], timeout=1.0)
    assert host.run(["state"], timeout=1.0).stdout == b"warm\n"
    # Loading again matches the no-effect record: nothing is prepended twice.
    host.run(["load"], timeout=1.0)
    assert host.read_bytes("/proc/misc").count(b"200 tun") == 1


def test_effects_apply_only_when_the_command_succeeds() -> None:
    host = host_of(REACTIVE)
    result = host.run(["fails"], timeout=1.0)
    assert result.returncode == 3
    assert "never" not in host.flags


def test_char_device_effect_keeps_an_existing_node() -> None:
    text = REACTIVE.replace(
        '[[file]]\npath = "/dev/net"\ntype = "dir"',
        '[[file]]\npath = "/dev/net/tun"\ntype = "char"\ndevice = [10, 200]\n'
        'mode = "0666"',
    )
    host = host_of(text)
    host.run(["load"], timeout=1.0)
    node = host.stat("/dev/net/tun")
    assert node is not None and node.permissions == "crw-rw-rw-"


def test_append_creates_and_mkdir_makes_a_folder() -> None:
    host = host_of(REACTIVE)
    host.run(["log"], timeout=1.0)
    host.run(["log"], timeout=1.0)
    assert host.read_bytes("/var/log/x.log") == b"one\none\n"
    info = host.stat("/run/extra")
    assert info is not None and info.kind == "dir"
    assert host.list_dir("/run/extra") == []


def test_flags_are_per_machine() -> None:
    scenario = parse_scenario(REACTIVE)
    first, second = RecordedHost(scenario), RecordedHost(scenario)
    first.run(["load"], timeout=1.0)
    assert "loaded" in first.flags and "loaded" not in second.flags
    assert second.stat("/dev/net/tun") is None


# -- the TAP check -------------------------------------------------------------


def tap(
    files: str, uid: int = 1000, platform: str = "linux"
) -> tuple[str | None, bool]:
    host = machine(files, header=f'uid = {uid}\nplatform = "{platform}"')
    check = host.tap_check()
    return check.errno_name, check.ok


MISC_TUN = '[[file]]\npath = "/proc/misc"\ntext = "200 tun\\n"\n'
MISC_NONE = '[[file]]\npath = "/proc/misc"\ntext = "232 kvm\\n"\n'


def node(mode: str) -> str:
    return (
        f'[[file]]\npath = "/dev/net/tun"\ntype = "char"\ndevice = [10, 200]\n'
        f'mode = "{mode}"\n'
    )


def test_tap_check_follows_the_kernel() -> None:
    assert tap(MISC_TUN) == ("ENOENT", False)  # Docker's error: no node
    assert tap(MISC_NONE + node("0666")) == ("ENODEV", False)  # static node
    assert tap(MISC_TUN + node("0600")) == ("EACCES", False)  # root's 0600 node
    assert tap(MISC_TUN + node("0666")) == ("EPERM", False)  # no CAP_NET_ADMIN
    assert tap(MISC_TUN + node("0600"), uid=0) == (None, True)
    assert tap(MISC_NONE + node("0600"), uid=0) == ("ENODEV", False)
    host = machine(MISC_TUN + node("0666"), header='platform = "win32"')
    assert host.tap_check().attempted is False


# -- loading and errors --------------------------------------------------------


def test_bundled_scenarios_are_found_by_name() -> None:
    names = bundled_scenarios()
    assert "demo" in names
    assert resolve_scenario_path("demo").name == "demo.toml"
    assert resolve_scenario_path("demo.toml").name == "demo.toml"
    assert load_scenario("wsl-2.5.9-healthy").label == "wsl-2.5.9-healthy"


def test_scenario_file_given_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[machine]\nname = "mine"\n', encoding="utf-8")
    assert load_scenario(str(path)).label == "mine"
    with pytest.raises(ScenarioError, match="no scenario file or bundled scenario"):
        load_scenario(str(tmp_path / "absent.toml"))
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe[machine]")
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(str(bad))


BAD = [
    ("[machine\nname='x'", "not valid TOML"),
    ("[machine]\ndescription = 'no name'", r"\[machine\] table with a name"),
    ("environment = 3\n[machine]\nname = 'x'", r"\[environment\] must be a table"),
    ("[machine]\nname = 'x'\nuid = 'alice'", "uid must be a whole number"),
    ("[machine]\nname = 'x'\nflags = 'a'\n[file]\npath = '/a'", r"write \[\[file\]\]"),
    ("[[file]]\ntext = 'x'", "file #1: path is required"),
    ("[[file]]\npath = '/a'\ntype = 'pipe'", r"file #1 \(/a\): type must be one of"),
    ("[[file]]\npath = '/a'\nmode = 'rw'", "mode 'rw' is not octal"),
    ("[[file]]\npath = '/a'\ntype = 'char'\ndevice = [10]", "device must be"),
    ("[[file]]\npath = '/a'\ntext_hex = 'zz'", "text_hex is not hex"),
    ("[[file]]\npath = '/a'\ntext = 'x'\ntext_newline = 'cr'", "unknown text_newline"),
    ("[[file]]\npath = '/a'\ntext = 'x'\ntext_encoding = 'nope'", "cannot encode text"),
    ("[[file]]\npath = '/a'\ntext = 3", "text must be a string"),
    ("[[file]]\npath = '/a'\n[[file]]\npath = '/a/'", "listed twice"),
    ("[[file]]\npath = '/l'\ntype = 'symlink'", "a symlink needs a target"),
    (
        "[[file]]\npath = '/l'\ntype = 'symlink'\ntarget = 'usr/lib'\n"
        "[[file]]\npath = '/l/modules'",
        "below the symlink /l",
    ),
    ("[[file]]\npath = '/a'\nunreadable = 'yes'", "unreadable must be true or false"),
    ("[[command]]\nstdout = 'x'", "command #1: argv is required"),
    ("[[command]]\nargv = 'x'\nexit = '1'", r"command #1 \(x\): exit must be a number"),
    ("[[command]]\nargv = ['x']\nexit = 1.5", "exit must be a whole number"),
    ("[[command]]\nargv = ['x']\nhang = 'false'", "hang must be true or false"),
    ("[[command]]\nargv = ['x']\nwhen = [1]", "when must be a list of strings"),
    (
        "[[command]]\nargv = ['x']\n[[command.effect]]\naction = 'explode'",
        r"command #1 \(x\) effect #1: effect action must be one of",
    ),
    (
        "[[command]]\nargv = ['x']\n[[command.effect]]\naction = 'prepend'",
        "effect prepend needs a path",
    ),
    (
        "[[command]]\nargv = ['x']\n[[command.effect]]\naction = 'set-flag'",
        "effect set-flag needs a flag",
    ),
    ("[[process]]\nname = 'x'\npid = 'one'", "process #1: pid must be a number"),
]


@pytest.mark.parametrize(("body", "message"), BAD)
def test_bad_files_get_a_helpful_error(body: str, message: str) -> None:
    text = body if "[machine" in body else f"[machine]\nname = 'x'\n{body}"
    with pytest.raises(ScenarioError, match=message) as caught:
        parse_scenario(text, source="bad.toml")
    assert str(caught.value).startswith("bad.toml")


def test_the_documented_example_behaves_as_documented() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "scenario-format.md").read_text(
        encoding="utf-8"
    )
    example = doc.split("## A complete example", 1)[1]
    example = example.split("```toml\n", 1)[1].split("```", 1)[0]
    host = host_of(example)
    assert host.tap_check().errno_name == "ENOENT"
    version = host.run(["wsl.exe", "--version"], timeout=1.0)
    assert version.stdout.decode("utf-16-le").startswith("WSL version: 2.5.4.0\r\n")
    assert host.run(["wsl.exe", "-l", "-v"], timeout=0.01).timed_out
    assert host.run(["sudo", "-n", "modprobe", "tun"], timeout=1.0).returncode == 1
    assert host.run_interactive(("sudo", "-v"), timeout=1.0).returncode == 0
    assert host.run(["sudo", "-n", "modprobe", "tun"], timeout=1.0).ok
    assert host.read_bytes("/proc/misc").startswith(b"200 tun\n")
    node = host.stat("/dev/net/tun")
    assert node is not None and node.permissions == "crw-------"
    assert host.tap_check().errno_name == "EACCES"
    assert host.run(["modprobe", "tun"], timeout=1.0).ok  # already loaded


def test_emulated_writes_follow_symlinked_folders() -> None:
    host = machine(FILES, header="uid = 0")
    result = host.run(["tee", "/lib/modules-load.d/tun.conf"], 1.0, input=b"tun\n")
    assert result.ok
    assert host.read_bytes("/usr/lib/modules-load.d/tun.conf") == b"tun\n"
    assert host.run(["rm", "/lib/modules-load.d/tun.conf"], timeout=1.0).ok
    assert host.stat("/usr/lib/modules-load.d/tun.conf") is None


TAP_MACHINE = """
[machine]
name = "tap"
uid = 0
[[file]]
path = "/dev/net/tun"
type = "char"
device = [10, 200]
mode = "0666"
[[file]]
path = "/proc/misc"
text = "200 tun\\n"
"""


def test_a_recorded_tap_answer_is_played_back_until_the_machine_changes() -> None:
    machine = RecordedHost(
        parse_scenario(TAP_MACHINE + '[tap_check]\nok = false\nerrno = "EIO"\n')
    )
    assert (machine.tap_check().ok, machine.tap_check().errno_name) == (False, "EIO")
    machine.write_file_atomic("/etc/x", b"changed")
    assert machine.tap_check().ok, "worked out from the files once changed"
    machine.remove_file("/etc/x")
    assert machine.tap_check().errno_name == "EIO", "as recorded again"


def test_without_a_recorded_answer_the_tap_check_is_worked_out() -> None:
    check = RecordedHost(parse_scenario(TAP_MACHINE)).tap_check()
    assert (check.ok, check.interface) == (True, "wslwiz0")


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ("tap_check = 3", "must be a table"),
        ("[tap_check]\nok = false", "needs its errno"),
        ("[tap_check]\nok = 'yes'", "ok"),
        ("[tap_check]\nerrno = 5", "errno must be a string"),
    ],
)
def test_a_bad_recorded_tap_answer_is_refused(table: str, reason: str) -> None:
    # A top-level key must come before the first table.
    top_level = not table.startswith("[")
    text = table + "\n" + TAP_MACHINE if top_level else TAP_MACHINE + table + "\n"
    with pytest.raises(ScenarioError, match=reason):
        parse_scenario(text)


RESTARTING = """
[machine]
name = "restarting"
flags = ["old"]
lasting_flags = ["updated", "old"]

[[file]]
path = "/etc/wsl.conf"
text = "[boot]\\n"

[[file]]
path = "/proc/modules"
text = ""

[[restart]]
when = ["updated"]
[[restart.effect]]
action = "append"
path = "/proc/modules"
text = "tun 1 0 - Live 0x0\\n"

[[restart]]
unless = ["updated"]
[[restart.effect]]
action = "set-flag"
flag = "not-updated"
"""


def _changed_machine() -> RecordedHost:
    machine = RecordedHost(parse_scenario(RESTARTING))
    machine.write_file_atomic("/etc/wsl.conf", b"[boot]\ncommand = modprobe tun\n")
    machine.write_file_atomic("/etc/modules-load.d/tun.conf", b"tun\n")
    machine.write_file_atomic("/proc/modules", b"tun 1 0 - Live 0x0\n")
    machine.write_file_atomic("/run/x", b"gone")
    machine._flags |= {"updated", "loaded"}  # noqa: SLF001
    machine._flags.discard("old")  # noqa: SLF001
    return machine


def test_the_next_run_finds_every_change_when_wsl_did_not_restart() -> None:
    changes = json.loads(json.dumps(_changed_machine().changes()))
    assert changes["set"] == ["loaded", "updated"] and changes["cleared"] == ["old"]
    after = RecordedHost(parse_scenario(RESTARTING))
    after.restore_changes(changes, restarted=False)
    assert after.read_bytes("/proc/modules") == b"tun 1 0 - Live 0x0\n"
    assert after.read_bytes("/run/x") == b"gone"
    assert after._flags == {"updated", "loaded"}  # noqa: SLF001


def test_a_restart_keeps_lasting_changes_and_drops_the_kernels() -> None:
    changes = json.loads(json.dumps(_changed_machine().changes()))
    after = RecordedHost(parse_scenario(RESTARTING))
    after.restore_changes(changes, restarted=True)
    assert after.read_bytes("/etc/wsl.conf") == b"[boot]\ncommand = modprobe tun\n"
    assert after.read_bytes("/etc/modules-load.d/tun.conf") == b"tun\n"
    assert after.stat("/run/x") is None
    # The rule for the updated machine ran on the recorded /proc/modules; the
    # kernel's own flag is gone and the lasting "old" stays cleared.
    assert after.read_bytes("/proc/modules") == b"tun 1 0 - Live 0x0\n"
    assert after._flags == {"updated"}  # noqa: SLF001


def test_a_restart_without_changes_applies_only_the_fitting_rules() -> None:
    machine = RecordedHost(parse_scenario(RESTARTING))
    machine.restore_changes(machine.changes(), restarted=True)
    assert machine._flags == {"old", "not-updated"}  # noqa: SLF001
    assert machine.read_bytes("/proc/modules") == b""


@pytest.mark.parametrize(
    "changes",
    [
        {"set": "not a list", "files": {"/etc/x": {"data": "not base64!"}}},
        {"files": {"/etc/x": "a string"}, "removed": [3, None]},
        {"files": ["a list"], "set": None},
        {"files": {"/etc/x": {"data": "", "kind": "pipe"}}},
        {"files": {"/etc/x": {"data": "", "device": [1]}}},
    ],
)
def test_damaged_kept_changes_are_skipped(changes: dict) -> None:
    machine = RecordedHost(parse_scenario(RESTARTING))
    machine.restore_changes(changes, restarted=False)
    assert machine.stat("/etc/x") is None
    assert machine._flags == {"old"}  # noqa: SLF001
