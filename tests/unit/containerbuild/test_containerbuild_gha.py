def test_a_build_network_that_docker_build_does_not_take_is_a_usage_error(tmp_path, capsys):
    from paved import cli  # noqa: PLC0415

    (tmp_path / "Dockerfile").write_text("FROM scratch\n", encoding="utf-8")
    code = cli.run(
        ["container-build", str(tmp_path), "--image-name=acme/app", "--network=bogus"],
        cli.ConsoleFrontend(),
    )
    assert code == 2
    assert "--network: 'bogus' is not a build network (valid: default, host, none)" in (
        capsys.readouterr().err
    )
