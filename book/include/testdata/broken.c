// ANCHOR: open
int x;
