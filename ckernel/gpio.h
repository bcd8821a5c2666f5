// gpio.h: BCM2711 GPIO, used only to put the console UART on its pins.
#pragma once
#include "types.h"

// gpio_uart0_pins routes PL011 UART0 to GPIO 14/15 (alternate function 0).
void gpio_uart0_pins(u64 gpio_base);
