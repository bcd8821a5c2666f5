package qemu

import (
	"strings"
	"testing"
)

func TestArgs(t *testing.T) {
	tests := []struct {
		name        string
		cfg         Config
		interactive bool
		want        string
	}{
		{"raspi4b image", Config{Board: "raspi4b", Kernel: "build/kernel8.img", Root: "/src"}, false,
			"-machine raspi4b -dtb /src/build/deps/bcm2711-rpi-4-b.dtb -kernel build/kernel8.img -append cpus=1 -display none -serial stdio -monitor none -no-reboot"},
		{"raspi4b elf, dtb override", Config{Board: "raspi4b", Kernel: "k.elf", DTB: "my.dtb"}, false,
			"-machine raspi4b -dtb my.dtb -kernel k.elf -append cpus=1 -display none -serial stdio -monitor none -no-reboot"},
		{"virt", Config{Board: "virt", Kernel: "k"}, false,
			"-machine virt -cpu cortex-a72 -m 1G -nic none -kernel k -append cpus=1 -display none -serial stdio -monitor none -no-reboot"},
		{"virt-el2", Config{Board: "virt-el2", Kernel: "k"}, false,
			"-machine virt,virtualization=on -cpu cortex-a72 -m 1G -nic none -kernel k -append cpus=1 -display none -serial stdio -monitor none -no-reboot"},
		{"interactive", Config{Board: "virt", Kernel: "k"}, true,
			"-machine virt -cpu cortex-a72 -m 1G -nic none -kernel k -display none -serial mon:stdio"},
		{"test options", Config{Board: "virt", Kernel: "k", Append: "test=boot seed=1", Icount: true, Semihosting: true}, false,
			"-machine virt -cpu cortex-a72 -m 1G -nic none -kernel k -append test=boot|seed=1|cpus=1 -display none -serial stdio -monitor none -no-reboot -icount shift=0,sleep=off -semihosting-config enable=on,target=native"},
		{"four cores asked for", Config{Board: "raspi4b", Kernel: "k", DTB: "d", Append: "test=smp cpus=4"}, false,
			"-machine raspi4b -dtb d -kernel k -append test=smp|cpus=4 -display none -serial stdio -monitor none -no-reboot"},
		{"gdb halted", Config{Board: "virt", Kernel: "k", GDBSocket: "/tmp/a,b.sock", Halted: true, Extra: []string{"-d", "int"}}, false,
			"-machine virt -cpu cortex-a72 -m 1G -nic none -kernel k -append cpus=1 -display none -serial stdio -monitor none -no-reboot -chardev socket,id=gdb0,path=/tmp/a,,b.sock,server=on,wait=off -gdb chardev:gdb0 -S -d int"},
	}
	for _, tt := range tests {
		args, err := tt.cfg.Args(tt.interactive)
		if err != nil {
			t.Errorf("%s: Args: %v", tt.name, err)
			continue
		}
		// Spaces inside one argument show as | so argument boundaries are visible.
		for i := range args {
			args[i] = strings.ReplaceAll(args[i], " ", "|")
		}
		if got := strings.Join(args, " "); got != tt.want {
			t.Errorf("%s: Args =\n  %s\nwant\n  %s", tt.name, got, tt.want)
		}
	}
}

func TestArgsErrors(t *testing.T) {
	for _, cfg := range []Config{{Board: "pi5", Kernel: "k"}, {Board: "virt"}} {
		if _, err := cfg.Args(false); err == nil {
			t.Errorf("Args(%+v) succeeded, want an error", cfg)
		}
	}
}

func TestCommandLine(t *testing.T) {
	c := Config{Board: "virt", Kernel: "k", Append: "a b", QEMU: "qemu"}
	got, _ := c.CommandLine(false)
	if !strings.HasPrefix(got, "qemu -machine virt") || !strings.Contains(got, "-append 'a b cpus=1'") {
		t.Errorf("CommandLine = %s", got)
	}
}
