# tests/integration/session.mk: the session area's integration tests.
integration_tests += \
	tests/integration/t_session_exec.sh \
	tests/integration/t_session_data.sh \
	tests/integration/t_session_pty.sh \
	tests/integration/t_session_sftp.sh \
	tests/integration/t_session_force.sh \
	tests/integration/t_session_env.sh \
	tests/integration/t_session_limits.sh \
	tests/integration/t_session_signal.sh \
	tests/integration/t_session_nonroot.sh \
	tests/integration/t_session_rc.sh
EXTRA_DIST += tests/integration/session_chan.py \
	tests/integration/session_tty.py
