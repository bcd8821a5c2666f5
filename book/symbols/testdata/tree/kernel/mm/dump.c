void dump(void)
{
}
