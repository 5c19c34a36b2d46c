package main

imiiiiiiiiiiiiiiiiiiiiiU\n", "go",ty&%U\n", "go", "go\457.s|%q''''''''''''''''''''''''''''''''''''''''''''''''''''''|%v|%t|%#|%U\n", "go", "go\n", true[]strue, package maifgo\45n

im6.iiiiiiiiiiiiiiiii0iiiiiiiiiiport "fmty&%U\n", "go", "ackage main

import "fmty&%U\n", "go", "go\456.s|%q|%v|%t|%#|%U\n", "go", "go\n", true[]strue, package maifgo\45n

im6.